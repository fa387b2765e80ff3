package org.promptsr.engine;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.training.ParameterStore;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A TorchScript super-resolution model hosted by DJL's PyTorch engine. Loaded once; {@link #apply}
 * may be called from several threads (each call owns its native memory in its own NDManager).
 */
public final class TorchScriptModel implements SuperResolutionModel, AutoCloseable {

	private final Model model;
	private final int scale;
	private final DeviceChoice.Resolved device;
	private final ModelCard card;
	private final Path path;

	private TorchScriptModel(Model model, int scale, DeviceChoice.Resolved device, ModelCard card, Path path) {
		this.model = model;
		this.scale = scale;
		this.device = device;
		this.card = card;
		this.path = path;
	}

	/**
	 * Loads {@code weights}; when a model card lies beside it, its SHA-256 must match the file.
	 * Without a card the scale is measured by running the model once on a small input.
	 */
	public static TorchScriptModel load(Path weights, DeviceChoice choice) throws IOException {
		ModelCard card = verifiedCard(weights);
		try {
			return DjlRuntime.call(() -> open(weights, choice, card));
		}
		catch (IOException | RuntimeException e) {
			throw e;
		}
		catch (Exception e) {
			throw new IOException(e.getMessage(), e);
		}
	}

	/** The model card beside {@code weights} (null if none), after checking the file's SHA-256 against it. */
	static ModelCard verifiedCard(Path weights) throws IOException {
		if (!Files.isRegularFile(weights)) throw new IOException("Model file not found: " + weights);
		Path cardPath = ModelCard.besides(weights);
		ModelCard card = Files.exists(cardPath) ? ModelCard.read(cardPath) : null;
		if (card != null) {
			String actual = Sha256.of(weights);
			if (!actual.equals(card.sha256))
				throw new IOException("Model file " + weights + " does not match its model card " + cardPath +
					": SHA-256 is " + actual + " but the card says " + card.sha256 +
					". The file is damaged or was replaced; reinstall it (Help > Update... in Fiji).");
		}
		return card;
	}

	private static TorchScriptModel open(Path weights, DeviceChoice choice, ModelCard card) throws IOException {
		Engine engine = Engine.getEngine("PyTorch");
		DeviceChoice.Resolved device = choice.resolve(engine);
		String name = weights.getFileName().toString().replaceFirst("\\.pt$", "");
		Model model = Model.newInstance(name, device.device, "PyTorch");
		try {
			model.load(weights);
		}
		catch (MalformedModelException | RuntimeException | IOException e) {
			model.close();
			throw new IOException("Cannot load " + weights + " as a TorchScript model (" + e.getMessage() +
				"). Export models with torch.jit.script(...).save(...).", e);
		}
		TorchScriptModel loaded = new TorchScriptModel(model, card == null ? 1 : card.scale, device, card, weights);
		int measured;
		try {
			measured = loaded.measureScale();
		}
		catch (RuntimeException e) {
			model.close();
			throw new IOException("Model " + weights + " does not follow the contract forward([N,3,H,W]) -> " +
				"[N,3,sH,sW]: " + e.getMessage(), e);
		}
		if (card != null && measured != card.scale) {
			model.close();
			throw new IOException("Model " + weights + " upscales x" + measured + " but its card says x" + card.scale + ".");
		}
		return new TorchScriptModel(model, measured, device, card, weights);
	}

	private int measureScale() {
		int side = 8;
		float[] out = run(new float[3 * side * side], 1, side, side);
		int s = (int) Math.round(Math.sqrt(out.length / (3.0 * side * side)));
		if (s < 1 || 3 * s * s * side * side != out.length) throw new IllegalStateException("output has " + out.length + " values");
		return s;
	}

	@Override
	public int scale() {
		return scale;
	}

	@Override
	public String device() {
		return device.describe();
	}

	public boolean onGpu() {
		return device.isGpu();
	}

	public ModelCard card() {
		return card;
	}

	public Path path() {
		return path;
	}

	@Override
	public float[] apply(float[] nchw, int n, int h, int w) {
		float[] out = run(nchw, n, h, w);
		long expected = (long) n * 3 * scale * h * scale * w;
		if (out.length != expected)
			throw new IllegalStateException("Model returned " + out.length + " values for a " + n + "x3x" + h + "x" + w +
				" input; expected " + expected + " (x" + scale + ").");
		return out;
	}

	private float[] run(float[] nchw, int n, int h, int w) {
		if (nchw.length != n * 3 * h * w) throw new IllegalArgumentException("input length does not match its shape");
		try (NDManager manager = model.getNDManager().newSubManager()) {
			NDArray x = manager.create(FloatBuffer.wrap(nchw), new Shape(n, 3, h, w));
			NDList out = model.getBlock().forward(new ParameterStore(manager, false), new NDList(x), false);
			NDArray y = out.get(0);
			if (y.getShape().dimension() != 4 || y.getShape().get(0) != n || y.getShape().get(1) != 3)
				throw new IllegalStateException("output shape " + y.getShape() + " for input (" + n + ", 3, " + h + ", " + w + ")");
			return y.toFloatArray();
		}
	}

	/** A float tensor copied out of native memory. */
	public static final class Tensor {
		public final long[] shape;
		public final float[] data;

		public Tensor(long[] shape, float[] data) {
			this.shape = shape;
			this.data = data;
		}
	}

	/**
	 * The export contract's second method: the anchor prompts P of the last CPB of each residual
	 * group, each [n, anchors, channels].
	 */
	public List<Tensor> anchorPrompts(float[] nchw, int n, int h, int w) {
		if (!(model.getBlock() instanceof PtSymbolBlock))
			throw new IllegalStateException("not a TorchScript model");
		try (NDManager manager = model.getNDManager().newSubManager()) {
			PtNDArray x = (PtNDArray) manager.create(FloatBuffer.wrap(nchw), new Shape(n, 3, h, w));
			IValue input = IValue.from(x);
			IValue result;
			try {
				result = IValueUtils.runMethod((PtSymbolBlock) model.getBlock(), "anchor_prompts", input);
			}
			finally {
				input.close();
			}
			try {
				List<Tensor> out = new ArrayList<>();
				for (PtNDArray p : result.toTensorArray((PtNDManager) manager))
					out.add(new Tensor(p.getShape().getShape(), p.toFloatArray()));
				return out;
			}
			finally {
				result.close();
			}
		}
	}

	@Override
	public void close() {
		model.close();
	}
}
