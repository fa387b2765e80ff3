package org.promptsr.convert;

import ij.ImagePlus;
import ij.ImageStack;

import java.util.Arrays;

/**
 * Linear map between an image's intensities and the model's [0, 1]: {@code (v - low) / (high - low)}.
 * 8-bit and RGB images use the fixed range 0..255. 16- and 32-bit images use percentiles of each
 * channel over all its slices and frames (so every plane of a channel gets the same map and Z/T
 * series don't flicker): low = 0.1 %, high = 99.9 % by default, in the spirit of CSBDeep's
 * percentile normalisation. Values outside the range are passed on unclipped and mapped back with
 * the inverse, so the result keeps the input's units.
 */
public final class IntensityRange {
	public static final double LOW_PERCENTILE = 0.1;
	public static final double HIGH_PERCENTILE = 99.9;
	private static final int MAX_SAMPLES = 1 << 22;

	public final double low;
	public final double high;

	public IntensityRange(double low, double high) {
		this.low = low;
		this.high = high > low ? high : low + 1;
	}

	public float toModel(double v) {
		return (float) ((v - low) / (high - low));
	}

	public double fromModel(float v) {
		return low + (double) v * (high - low);
	}

	/** The range for channel {@code c} (1-based) of {@code imp}; rejects NaN and infinite pixels. */
	public static IntensityRange of(ImagePlus imp, int c) {
		int type = imp.getType();
		if (type == ImagePlus.GRAY8 || type == ImagePlus.COLOR_RGB) return new IntensityRange(0, 255);
		ImageStack stack = imp.getStack();
		if (type == ImagePlus.GRAY16) {
			long[] hist = new long[65536];
			long n = 0;
			for (int z = 1; z <= imp.getNSlices(); z++)
				for (int t = 1; t <= imp.getNFrames(); t++) {
					short[] px = (short[]) stack.getPixels(imp.getStackIndex(c, z, t));
					for (short v : px) hist[v & 0xffff]++;
					n += px.length;
				}
			return new IntensityRange(histogramPercentile(hist, n, LOW_PERCENTILE),
				histogramPercentile(hist, n, HIGH_PERCENTILE));
		}
		if (type == ImagePlus.GRAY32) {
			long total = (long) imp.getWidth() * imp.getHeight() * imp.getNSlices() * imp.getNFrames();
			int step = (int) Math.max(1, (total + MAX_SAMPLES - 1) / MAX_SAMPLES);
			float[] samples = new float[(int) Math.min(total, MAX_SAMPLES + imp.getNSlices() * imp.getNFrames())];
			int k = 0;
			long index = 0;
			for (int z = 1; z <= imp.getNSlices(); z++)
				for (int t = 1; t <= imp.getNFrames(); t++) {
					int plane = imp.getStackIndex(c, z, t);
					float[] px = (float[]) stack.getPixels(plane);
					for (int i = 0; i < px.length; i++, index++) {
						float v = px[i];
						if (!Float.isFinite(v))
							throw new IllegalArgumentException("The image has a " + (Float.isNaN(v) ? "NaN" : "infinite") +
								" pixel at x=" + (i % imp.getWidth()) + ", y=" + (i / imp.getWidth()) + " (channel " + c +
								", slice " + z + ", frame " + t + "). Replace such pixels first " +
								"(e.g. Process > Noise > Remove NaNs...).");
						if (index % step == 0 && k < samples.length) samples[k++] = v;
					}
				}
			float[] s = Arrays.copyOf(samples, k);
			Arrays.sort(s);
			return new IntensityRange(sortedPercentile(s, LOW_PERCENTILE), sortedPercentile(s, HIGH_PERCENTILE));
		}
		throw new IllegalArgumentException("Unsupported image type (" + imp.getBitDepth() + "-bit " +
			(type == ImagePlus.COLOR_256 ? "indexed color" : "") + "). Convert it to 8-bit, 16-bit, 32-bit or RGB first.");
	}

	private static double histogramPercentile(long[] hist, long n, double percentile) {
		double target = percentile / 100.0 * (n - 1);
		long seen = 0;
		for (int v = 0; v < hist.length; v++) {
			seen += hist[v];
			if (seen > target) return v;
		}
		return hist.length - 1;
	}

	private static double sortedPercentile(float[] sorted, double percentile) {
		double pos = percentile / 100.0 * (sorted.length - 1);
		int i = (int) Math.floor(pos);
		int j = Math.min(i + 1, sorted.length - 1);
		return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
	}
}
