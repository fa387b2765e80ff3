package org.promptsr.metrics;

import java.util.Arrays;

/**
 * MATLAB-compatible {@code imresize(img, scale, 'bicubic')}: Keys cubic (a = -0.5), kernel
 * widened by 1/scale when shrinking (antialiasing), symmetric borders, output size
 * ceil(in * scale), rows (vertical) resized before columns. For uint8 input each pass is rounded
 * half away from zero and clipped to 0..255, as MATLAB keeps the intermediate in the input class;
 * with that, MATLAB-made benchmark LR images (Set5, Set14 x2/x3/x4) are reproduced bit for bit.
 */
public final class MatlabBicubic {

	private MatlabBicubic() {}

	/** Output length MATLAB gives for {@code inLength} samples at {@code scale}. */
	public static int outputLength(final int inLength, final double scale) {
		checkScale(scale);
		return (int) Math.ceil(inLength * scale);
	}

	/** Downscale by an integer factor (scale 1 / factor), the benchmark LR recipe after modcrop. */
	public static UInt8Image downscale(final UInt8Image img, final int factor) {
		if (factor < 1) throw new IllegalArgumentException("downscale factor must be >= 1, got " + factor);
		return resize(img, 1.0 / factor);
	}

	/** Resize a uint8 image; the result is uint8, rounded after each pass. */
	public static UInt8Image resize(final UInt8Image img, final double scale) {
		final int w = img.width();
		final int h = img.height();
		final int outW = outputLength(w, scale);
		final int outH = outputLength(h, scale);
		checkOutput(w, h, outW, outH, scale);
		final Weights rows = new Weights(h, outH, scale);
		final Weights cols = new Weights(w, outW, scale);
		final UInt8Image out = new UInt8Image(outW, outH, img.channels());
		final byte[] src = img.data();
		final byte[] dst = out.data();
		final double[] plane = new double[w * h];
		final double[] mid = new double[w * outH];
		final double[] res = new double[outW * outH];
		for (int c = 0; c < img.channels(); c++) {
			final int srcOff = c * w * h;
			for (int i = 0; i < plane.length; i++)
				plane[i] = src[srcOff + i] & 0xff;
			resizeVertically(plane, w, rows, mid);
			for (int i = 0; i < mid.length; i++)
				mid[i] = roundToUInt8(mid[i]);
			resizeHorizontally(mid, w, outH, cols, res);
			final int dstOff = c * outW * outH;
			for (int i = 0; i < res.length; i++)
				dst[dstOff + i] = (byte) roundToUInt8(res[i]);
		}
		return out;
	}

	/**
	 * Resize a double-valued image (planar, {@code data[(c * height + y) * width + x]}); no
	 * rounding. The result is planar with {@link #outputLength} columns and rows.
	 */
	public static double[] resize(final double[] data, final int width, final int height,
		final int channels, final double scale)
	{
		if (width < 1 || height < 1 || channels < 1 || data.length != (long) width * height * channels)
			throw new IllegalArgumentException("data of length " + data.length + " is not a " + width +
				" x " + height + " x " + channels + " image");
		final int outW = outputLength(width, scale);
		final int outH = outputLength(height, scale);
		checkOutput(width, height, outW, outH, scale);
		final Weights rows = new Weights(height, outH, scale);
		final Weights cols = new Weights(width, outW, scale);
		final double[] out = new double[outW * outH * channels];
		final double[] plane = new double[width * height];
		final double[] mid = new double[width * outH];
		final double[] res = new double[outW * outH];
		for (int c = 0; c < channels; c++) {
			System.arraycopy(data, c * width * height, plane, 0, plane.length);
			resizeVertically(plane, width, rows, mid);
			resizeHorizontally(mid, width, outH, cols, res);
			System.arraycopy(res, 0, out, c * outW * outH, res.length);
		}
		return out;
	}

	/** Crop to the largest size divisible by {@code scale} (keeping the top-left corner). */
	public static UInt8Image modcrop(final UInt8Image img, final int scale) {
		if (scale < 1) throw new IllegalArgumentException("modcrop scale must be >= 1, got " + scale);
		final int w = img.width() - img.width() % scale;
		final int h = img.height() - img.height() % scale;
		if (w == 0 || h == 0) throw new IllegalArgumentException("a " + img.sizeString() +
			" image is smaller than the scale " + scale + "; nothing is left after modcrop");
		return w == img.width() && h == img.height() ? img : img.crop(0, 0, w, h);
	}

	/** Round half away from zero after clipping to 0..255 (MATLAB's conversion to uint8). */
	static double roundToUInt8(final double v) {
		return Math.floor(Math.min(Math.max(v, 0.0), 255.0) + 0.5);
	}

	/** Keys cubic convolution kernel, a = -0.5 (written as MATLAB writes it). */
	static double cubic(final double x) {
		final double ax = Math.abs(x);
		final double ax2 = ax * ax;
		final double ax3 = ax * ax * ax;
		if (ax <= 1) return 1.5 * ax3 - 2.5 * ax2 + 1.0;
		if (ax <= 2) return -0.5 * ax3 + 2.5 * ax2 - 4.0 * ax + 2.0;
		return 0.0;
	}

	private static void checkScale(final double scale) {
		if (!(scale > 0) || Double.isInfinite(scale)) throw new IllegalArgumentException(
			"scale must be a positive finite number (e.g. 0.25 to shrink 4x, 4 to enlarge), got " + scale);
	}

	private static void checkOutput(final int w, final int h, final int outW, final int outH,
		final double scale)
	{
		if (outW < 1 || outH < 1) throw new IllegalArgumentException("resizing " + w + " x " + h +
			" by " + scale + " leaves an empty image");
	}

	/** out (width x rows.outLength) = weighted sums of rows of in (width x rows.inLength). */
	private static void resizeVertically(final double[] in, final int width, final Weights rows,
		final double[] out)
	{
		Arrays.fill(out, 0, width * rows.outLength, 0.0);
		for (int o = 0; o < rows.outLength; o++) {
			final int outOff = o * width;
			// taps in order, so each pixel is summed in the same order as MATLAB's inner loop
			for (int k = 0; k < rows.taps; k++) {
				final double wk = rows.weight[o * rows.taps + k];
				final int inOff = rows.index[o * rows.taps + k] * width;
				for (int x = 0; x < width; x++)
					out[outOff + x] += wk * in[inOff + x];
			}
		}
	}

	private static void resizeHorizontally(final double[] in, final int width, final int height,
		final Weights cols, final double[] out)
	{
		final int outW = cols.outLength;
		for (int y = 0; y < height; y++) {
			final int inOff = y * width;
			final int outOff = y * outW;
			for (int o = 0; o < outW; o++) {
				double sum = 0;
				for (int k = 0; k < cols.taps; k++)
					sum += cols.weight[o * cols.taps + k] * in[inOff + cols.index[o * cols.taps + k]];
				out[outOff + o] = sum;
			}
		}
	}

	/** Per-output taps: 0-based (mirrored) input indices and normalised weights. */
	private static final class Weights {

		final int outLength;
		final int taps;
		final int[] index;
		final double[] weight;

		Weights(final int inLength, final int outLength, final double scale) {
			final boolean antialias = scale < 1;
			final double width = antialias ? 4.0 / scale : 4.0;
			this.outLength = outLength;
			this.taps = (int) Math.ceil(width) + 2;
			this.index = new int[outLength * taps];
			this.weight = new double[outLength * taps];
			final int period = 2 * inLength;
			for (int o = 0; o < outLength; o++) {
				final double u = (o + 1) / scale + 0.5 * (1.0 - 1.0 / scale);
				final double left = Math.floor(u - width / 2.0);
				double sum = 0;
				for (int k = 0; k < taps; k++) {
					final double position = left + k; // 1-based
					final double dist = u - position;
					final double w = antialias ? scale * cubic(scale * dist) : cubic(dist);
					weight[o * taps + k] = w;
					sum += w;
					// symmetric: ... 2 1 | 1 2 ... n | n n-1 ...
					int m = (int) Math.floorMod((long) position - 1, (long) period);
					if (m >= inLength) m = period - 1 - m;
					index[o * taps + k] = m;
				}
				for (int k = 0; k < taps; k++)
					weight[o * taps + k] /= sum;
			}
		}
	}
}
