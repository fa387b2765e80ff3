package org.promptsr.prompts;

import org.promptsr.engine.TorchScriptModel.Tensor;

import java.util.List;

/**
 * Runs the model's {@code anchor_prompts} on one LR input and turns P^1..P^4 (the last CPB of each
 * residual group) into one vector per group with {@link PromptFeatures}.
 */
public final class PromptExtractor {

	/** The export contract's second method; {@code TorchScriptModel::anchorPrompts} fits. */
	@FunctionalInterface
	public interface PromptModel {
		List<Tensor> anchorPrompts(float[] nchw, int n, int h, int w);
	}

	private final PromptModel model;
	private final PromptFeatures.Mode mode;
	private long anchors, channels;

	public PromptExtractor(PromptModel model, PromptFeatures.Mode mode) {
		this.model = model;
		this.mode = mode;
	}

	/** vectors[g] for residual group g (0-based) of a [1, 3, h, w] input. */
	public float[][] extract(float[] nchw, int h, int w) {
		List<Tensor> prompts = model.anchorPrompts(nchw, 1, h, w);
		if (prompts.isEmpty())
			throw new IllegalStateException("the model returned no anchor prompts; is it a PromptSR export (anchor_prompts)?");
		float[][] out = new float[prompts.size()][];
		for (int g = 0; g < out.length; g++) {
			Tensor p = prompts.get(g);
			if (p.shape.length != 3 || p.shape[0] != 1)
				throw new IllegalStateException("anchor prompts of group " + (g + 1) + " have shape " +
					java.util.Arrays.toString(p.shape) + "; expected [1, anchors, channels]");
			out[g] = PromptFeatures.of(p, 0, mode);
			anchors = p.shape[1];
			channels = p.shape[2];
		}
		return out;
	}

	/** Anchors of the last P extracted (rows of P). */
	public int anchors() {
		return (int) anchors;
	}

	/** Channels of the last P extracted (C). */
	public int channels() {
		return (int) channels;
	}

	public PromptFeatures.Mode mode() {
		return mode;
	}
}
