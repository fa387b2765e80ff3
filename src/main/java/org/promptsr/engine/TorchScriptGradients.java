package org.promptsr.engine;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Collections;

/**
 * A TorchScript model loaded for input gradients (REFERENCE.md section 2): its own instance,
 * loaded with {@code trainParam} so that autograd records the forward pass, parameters frozen so
 * that only the input gets a gradient. Kept apart from the inference instance because a forward
 * with {@code training=true} switches the scripted module to train mode. PromptSR behaves the same
 * in both modes (no dropout or batch statistics), so the gradients are those of the inference model.
 *
 * <p>libtorch allows one gradient recording per process at a time, so calls are serialised.
 */
public final class TorchScriptGradients implements DifferentiableModel, AutoCloseable {
	private static final Object GRADIENT_LOCK = new Object();

	private final Model model;
	private final Engine engine;
	private final int scale;
	private final ModelCard card;
	private final Path path;

	private TorchScriptGradients(Model model, Engine engine, int scale, ModelCard card, Path path) {
		this.model = model;
		this.engine = engine;
		this.scale = scale;
		this.card = card;
		this.path = path;
	}

	/** Loads {@code weights} on the CPU (gradients of a few tiles; a GPU adds little here). */
	public static TorchScriptGradients load(Path weights) throws IOException {
		ModelCard card = TorchScriptModel.verifiedCard(weights);
		try {
			return DjlRuntime.call(() -> open(weights, card));
		}
		catch (IOException | RuntimeException e) {
			throw e;
		}
		catch (Exception e) {
			throw new IOException(e.getMessage(), e);
		}
	}

	private static TorchScriptGradients open(Path weights, ModelCard card) throws IOException {
		Engine engine = Engine.getEngine("PyTorch");
		String name = weights.getFileName().toString().replaceFirst("\\.pt$", "");
		Model model = Model.newInstance(name, engine.defaultDevice(), "PyTorch");
		try {
			model.load(weights, name, Collections.singletonMap("trainParam", "true"));
			model.getBlock().freezeParameters(true);
		}
		catch (MalformedModelException | RuntimeException | IOException e) {
			model.close();
			throw new IOException("Cannot load " + weights + " as a TorchScript model (" + e.getMessage() + ").", e);
		}
		TorchScriptGradients loaded = new TorchScriptGradients(model, engine, 1, card, weights);
		float[] probe;
		try {
			probe = loaded.forward(new float[3 * 8 * 8], 1, 8, 8);
		}
		catch (RuntimeException e) {
			model.close();
			throw new IOException("Model " + weights + " does not follow the contract forward([N,3,H,W]) -> [N,3,sH,sW]: " +
				e.getMessage(), e);
		}
		int s = (int) Math.round(Math.sqrt(probe.length / (3.0 * 64)));
		if (card != null && s != card.scale) {
			model.close();
			throw new IOException("Model " + weights + " upscales x" + s + " but its card says x" + card.scale + ".");
		}
		return new TorchScriptGradients(model, engine, s, card, weights);
	}

	@Override
	public int scale() {
		return scale;
	}

	public ModelCard card() {
		return card;
	}

	public Path path() {
		return path;
	}

	@Override
	public float[] forward(float[] nchw, int n, int h, int w) {
		check(nchw, n, h, w);
		synchronized (GRADIENT_LOCK) {
			try (NDManager manager = model.getNDManager().newSubManager()) {
				NDArray x = manager.create(FloatBuffer.wrap(nchw), new Shape(n, 3, h, w));
				// training=true keeps the module in one mode; no collector is open, so no graph is kept.
				return model.getBlock().forward(new ParameterStore(manager, false), new NDList(x), true).get(0).toFloatArray();
			}
		}
	}

	@Override
	public float[] inputGradient(float[] nchw, int n, int h, int w, OutputGradient objective) {
		check(nchw, n, h, w);
		synchronized (GRADIENT_LOCK) {
			try (NDManager manager = model.getNDManager().newSubManager()) {
				NDArray x = manager.create(FloatBuffer.wrap(nchw), new Shape(n, 3, h, w));
				x.setRequiresGradient(true);
				try (GradientCollector collector = engine.newGradientCollector()) {
					NDArray y = model.getBlock().forward(new ParameterStore(manager, false), new NDList(x), true).get(0);
					Shape ys = y.getShape();
					if (ys.dimension() != 4 || ys.get(0) != n || ys.get(1) != 3 || ys.get(2) != (long) h * scale ||
						ys.get(3) != (long) w * scale)
						throw new IllegalStateException("output shape " + ys + " for input (" + n + ", 3, " + h + ", " + w + ")");
					float[] dy = objective.of(y.toFloatArray(), n, (int) ys.get(2), (int) ys.get(3));
					if (dy.length != ys.size())
						throw new IllegalArgumentException("output gradient has " + dy.length + " values, output has " + ys.size());
					NDArray g = manager.create(FloatBuffer.wrap(dy), ys);
					// L = sum(y * g) with g constant has dL/dx = J^T g.
					collector.backward(y.mul(g).sum());
					return x.getGradient().toFloatArray();
				}
			}
		}
	}

	private static void check(float[] nchw, int n, int h, int w) {
		if (n < 1 || h < 1 || w < 1 || nchw.length != n * 3 * h * w)
			throw new IllegalArgumentException("input length " + nchw.length + " does not match its shape " + n + "x3x" + h + "x" + w);
	}

	@Override
	public void close() {
		model.close();
	}
}
