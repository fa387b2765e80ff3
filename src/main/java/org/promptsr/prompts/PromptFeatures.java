package org.promptsr.prompts;

import org.promptsr.engine.TorchScriptModel.Tensor;

import java.util.Locale;

/**
 * One vector per image and residual group from the anchor prompts P [n, anchors, C] of that group.
 * <ul>
 * <li>{@link Mode#POOLED} (default): the mean over the anchors, C = 48 values. It does not depend
 * on where in the image an anchor sits nor on the image size, so it compares what the prompts
 * hold rather than where.</li>
 * <li>{@link Mode#FLATTENED}: P as stored, anchors x C values, anchor-major (value of anchor a,
 * channel c at a C + c; anchors in raster order of the padded input's d x d cells). For a 64 x 64
 * input (d = 8 and padding to 16) that is 64 x 48 = 3072 values.</li>
 * </ul>
 */
public final class PromptFeatures {
	private PromptFeatures() {}

	public enum Mode {
		POOLED, FLATTENED;

		public String key() {
			return name().toLowerCase(Locale.ROOT);
		}

		public static Mode parse(String text) {
			String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
			if (t.equals("pooled") || t.equals("mean")) return POOLED;
			if (t.equals("flattened") || t.equals("flat")) return FLATTENED;
			throw new IllegalArgumentException("features must be pooled or flattened, got '" + text + "'");
		}
	}

	/** The number of values per vector for P of {@code anchors} x {@code channels}. */
	public static int length(Mode mode, int anchors, int channels) {
		return mode == Mode.POOLED ? channels : anchors * channels;
	}

	/** The vector of batch item {@code item} of a [n, anchors, C] tensor. */
	public static float[] of(Tensor p, int item, Mode mode) {
		if (p.shape.length != 3) throw new IllegalArgumentException("anchor prompts must be [n, anchors, C], got " +
			java.util.Arrays.toString(p.shape));
		int anchors = (int) p.shape[1], channels = (int) p.shape[2];
		int off = item * anchors * channels;
		if (mode == Mode.FLATTENED) return java.util.Arrays.copyOfRange(p.data, off, off + anchors * channels);
		double[] sum = new double[channels];
		for (int a = 0; a < anchors; a++)
			for (int c = 0; c < channels; c++)
				sum[c] += p.data[off + a * channels + c];
		float[] v = new float[channels];
		for (int c = 0; c < channels; c++)
			v[c] = (float) (sum[c] / anchors);
		return v;
	}
}
