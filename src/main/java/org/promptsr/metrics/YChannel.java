package org.promptsr.metrics;

/**
 * Luma (ITU-R BT.601, studio range) as the super-resolution literature computes it: from uint8 RGB
 * with R, G, B = value / 255, not rounded, Y = 16 + 65.481 R + 128.553 G + 24.966 B in [16, 235].
 * Planes are returned row-major, {@code y[row * width + x]}.
 */
public final class YChannel {

	private YChannel() {}

	/** Y of an RGB image, or of a gray one under {@link GrayConvention#REPLICATE}. */
	public static double[] of(final UInt8Image img) {
		return of(img, GrayConvention.REPLICATE);
	}

	public static double[] of(final UInt8Image img, final GrayConvention convention) {
		final int plane = img.width() * img.height();
		final byte[] d = img.data();
		final double[] y = new double[plane];
		if (img.channels() == 3) {
			for (int i = 0; i < plane; i++)
				y[i] = fromRgb(d[i] & 0xff, d[plane + i] & 0xff, d[2 * plane + i] & 0xff);
		}
		else if (img.channels() == 1) {
			final boolean replicate = convention == GrayConvention.REPLICATE;
			for (int i = 0; i < plane; i++) {
				final int g = d[i] & 0xff;
				y[i] = replicate ? 16.0 + 219.0 * g / 255.0 : g;
			}
		}
		else throw new IllegalArgumentException("Y needs an RGB (3 channel) or gray (1 channel) " +
			"image, got " + img.channels() + " channels; drop the alpha or extra channels first");
		return y;
	}

	/**
	 * Y of {@code img} for comparing it with {@code other}: under {@link GrayConvention#GRAY} an
	 * RGB image compared with a gray one is rescaled onto the gray scale, otherwise this is
	 * {@link #of(UInt8Image, GrayConvention)}.
	 */
	public static double[] forComparison(final UInt8Image img, final UInt8Image other,
		final GrayConvention convention)
	{
		final double[] y = of(img, convention);
		if (convention == GrayConvention.GRAY && img.channels() == 3 && other.channels() == 1) {
			for (int i = 0; i < y.length; i++)
				y[i] = (y[i] - 16.0) * 255.0 / 219.0;
		}
		return y;
	}

	/** Same operation order as the reference (Python/MATLAB) code, so results agree to the bit. */
	public static double fromRgb(final int r, final int g, final int b) {
		return 16.0 + 65.481 * (r / 255.0) + 128.553 * (g / 255.0) + 24.966 * (b / 255.0);
	}
}
