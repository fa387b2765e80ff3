package org.promptsr.convert;

import ij.ImagePlus;
import org.promptsr.tiling.RowSink;

/** Writes model rows into one output plane of the input's type, mapping values back to its range. */
public final class OutputPlane implements RowSink {
	private final int type;
	private final Object pixels;
	private final IntensityRange range;

	public OutputPlane(int type, Object pixels, IntensityRange range) {
		this.type = type;
		this.pixels = pixels;
		this.range = range;
	}

	/** A new pixel array of the given type and size. */
	public static Object allocate(int type, int width, int height) {
		int n = Math.multiplyExact(width, height);
		switch (type) {
			case ImagePlus.GRAY8:
				return new byte[n];
			case ImagePlus.GRAY16:
				return new short[n];
			case ImagePlus.GRAY32:
				return new float[n];
			case ImagePlus.COLOR_RGB:
				return new int[n];
			default:
				throw new IllegalArgumentException("Unsupported image type " + type);
		}
	}

	@Override
	public void accept(int y0, int rows, int width, float[][] ch) {
		int base = y0 * width;
		int n = rows * width;
		switch (type) {
			case ImagePlus.COLOR_RGB: {
				int[] out = (int[]) pixels;
				for (int k = 0; k < n; k++)
					out[base + k] = 0xff000000 | (toByte(ch[0][k]) << 16) | (toByte(ch[1][k]) << 8) | toByte(ch[2][k]);
				break;
			}
			case ImagePlus.GRAY8: {
				byte[] out = (byte[]) pixels;
				for (int k = 0; k < n; k++)
					out[base + k] = (byte) clampRound(range.fromModel(mean(ch, k)), 255);
				break;
			}
			case ImagePlus.GRAY16: {
				short[] out = (short[]) pixels;
				for (int k = 0; k < n; k++)
					out[base + k] = (short) clampRound(range.fromModel(mean(ch, k)), 65535);
				break;
			}
			default: {
				float[] out = (float[]) pixels;
				for (int k = 0; k < n; k++)
					out[base + k] = (float) range.fromModel(mean(ch, k));
			}
		}
	}

	/** Gray planes were fed as three equal channels; the output is the mean of the three. */
	private static float mean(float[][] ch, int k) {
		return (float) (((double) ch[0][k] + ch[1][k] + ch[2][k]) / 3.0);
	}

	private static int toByte(float v) {
		return clampRound(v * 255.0, 255);
	}

	private static int clampRound(double v, int max) {
		if (!(v > 0)) return 0; // also maps NaN to 0
		return v >= max ? max : (int) Math.round(v);
	}
}
