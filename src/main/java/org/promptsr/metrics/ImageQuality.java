package org.promptsr.metrics;

import java.util.Locale;

/**
 * Y-channel PSNR and SSIM with the super-resolution benchmark conventions: {@code scale} pixels
 * cropped on every side, PSNR in double with peak 255, SSIM (Wang et al. 2004) on Y in [0, 255]
 * with an 11 x 11 Gaussian window (sigma 1.5), C1 = (0.01 * 255)^2, C2 = (0.03 * 255)^2, over the
 * valid region only (no padding), averaged over the SSIM map. SR images are scored as uint8,
 * i.e. after rounding, as published results are.
 */
public final class ImageQuality {

	public static final int SSIM_WINDOW = 11;
	public static final double SSIM_SIGMA = 1.5;
	private static final double C1 = (0.01 * 255) * (0.01 * 255);
	private static final double C2 = (0.03 * 255) * (0.03 * 255);
	/** Normalised 1D Gaussian; the 2D window is its outer product (also normalised). */
	private static final double[] GAUSSIAN = gaussian(SSIM_WINDOW, SSIM_SIGMA);

	private ImageQuality() {}

	/** PSNR (dB) and SSIM of one image pair. */
	public static final class Score {

		private final double psnr;
		private final double ssim;

		public Score(final double psnr, final double ssim) {
			this.psnr = psnr;
			this.ssim = ssim;
		}

		/** dB; positive infinity for identical images. */
		public double psnr() {
			return psnr;
		}

		public double ssim() {
			return ssim;
		}

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "PSNR=%.4f dB SSIM=%.4f", psnr, ssim);
		}
	}

	/** {@link #score(UInt8Image, UInt8Image, int, GrayConvention)} with {@link GrayConvention#REPLICATE}. */
	public static Score score(final UInt8Image sr, final UInt8Image hr, final int scale) {
		return score(sr, hr, scale, GrayConvention.REPLICATE);
	}

	/**
	 * Scores a super-resolved image against the ground truth on Y, cropping {@code scale} pixels on
	 * every side (0 crops nothing). Both must be the same size: compare with modcrop(HR, scale).
	 */
	public static Score score(final UInt8Image sr, final UInt8Image hr, final int scale,
		final GrayConvention convention)
	{
		if (sr.width() != hr.width() || sr.height() != hr.height())
			throw new IllegalArgumentException("SR is " + sr.width() + " x " + sr.height() +
				" but HR is " + hr.width() + " x " + hr.height() + " (width x height); they must match: " +
				"compare against MatlabBicubic.modcrop(HR, " + scale + ") and super-resolve the LR made from it");
		if (scale < 0) throw new IllegalArgumentException("scale (border to crop) must be >= 0, got " + scale);
		final int w = hr.width() - 2 * scale;
		final int h = hr.height() - 2 * scale;
		if (w < SSIM_WINDOW || h < SSIM_WINDOW) throw new IllegalArgumentException("cropping " + scale +
			" pixels on every side of " + hr.width() + " x " + hr.height() + " leaves " + Math.max(w, 0) +
			" x " + Math.max(h, 0) + ", smaller than the " + SSIM_WINDOW + " x " + SSIM_WINDOW +
			" SSIM window; use images of at least " + (SSIM_WINDOW + 2 * scale) + " x " +
			(SSIM_WINDOW + 2 * scale));
		final double[] ySr = cropBorder(YChannel.forComparison(sr, hr, convention), sr.width(), sr.height(), scale);
		final double[] yHr = cropBorder(YChannel.forComparison(hr, sr, convention), hr.width(), hr.height(), scale);
		return new Score(psnr(ySr, yHr), ssim(ySr, yHr, w, h));
	}

	/** The row-major plane without {@code border} pixels on every side. */
	public static double[] cropBorder(final double[] plane, final int width, final int height,
		final int border)
	{
		checkPlane(plane, width, height, "plane");
		if (border < 0 || 2 * border >= width || 2 * border >= height) throw new IllegalArgumentException(
			"cannot crop " + border + " pixels on every side of " + width + " x " + height);
		if (border == 0) return plane;
		final int w = width - 2 * border;
		final int h = height - 2 * border;
		final double[] out = new double[w * h];
		for (int y = 0; y < h; y++)
			System.arraycopy(plane, (y + border) * width + border, out, y * w, w);
		return out;
	}

	/** PSNR (dB, peak 255) of two planes of equal length; positive infinity when identical. */
	public static double psnr(final double[] a, final double[] b) {
		if (a.length != b.length) throw new IllegalArgumentException("planes have " + a.length +
			" and " + b.length + " pixels; PSNR needs images of the same size");
		if (a.length == 0) throw new IllegalArgumentException("PSNR of empty images is undefined");
		double sum = 0;
		for (int i = 0; i < a.length; i++) {
			final double d = a[i] - b[i];
			sum += d * d;
		}
		final double mse = sum / a.length;
		return mse == 0 ? Double.POSITIVE_INFINITY : 10.0 * Math.log10(255.0 * 255.0 / mse);
	}

	/** Mean SSIM of two row-major width x height planes with values in [0, 255]. */
	public static double ssim(final double[] a, final double[] b, final int width, final int height) {
		checkPlane(a, width, height, "first plane");
		checkPlane(b, width, height, "second plane");
		if (width < SSIM_WINDOW || height < SSIM_WINDOW) throw new IllegalArgumentException(
			"SSIM needs at least " + SSIM_WINDOW + " x " + SSIM_WINDOW + " pixels, got " + width + " x " + height);
		final int n = width * height;
		final double[] aa = new double[n];
		final double[] bb = new double[n];
		final double[] ab = new double[n];
		for (int i = 0; i < n; i++) {
			aa[i] = a[i] * a[i];
			bb[i] = b[i] * b[i];
			ab[i] = a[i] * b[i];
		}
		final int ow = width - SSIM_WINDOW + 1;
		final int oh = height - SSIM_WINDOW + 1;
		final double[] tmp = new double[ow * height];
		final double[] muA = filterValid(a, width, height, tmp);
		final double[] muB = filterValid(b, width, height, tmp);
		final double[] sAA = filterValid(aa, width, height, tmp);
		final double[] sBB = filterValid(bb, width, height, tmp);
		final double[] sAB = filterValid(ab, width, height, tmp);
		double sum = 0;
		for (int i = 0; i < ow * oh; i++) {
			final double ma = muA[i];
			final double mb = muB[i];
			final double varA = sAA[i] - ma * ma;
			final double varB = sBB[i] - mb * mb;
			final double cov = sAB[i] - ma * mb;
			sum += (2 * ma * mb + C1) * (2 * cov + C2) / ((ma * ma + mb * mb + C1) * (varA + varB + C2));
		}
		return sum / (ow * oh);
	}

	/** Gaussian-weighted sums over every window fully inside the plane (separable: rows, then columns). */
	private static double[] filterValid(final double[] in, final int width, final int height,
		final double[] tmp)
	{
		final int k = SSIM_WINDOW;
		final int ow = width - k + 1;
		final int oh = height - k + 1;
		for (int y = 0; y < height; y++) {
			final int row = y * width;
			for (int x = 0; x < ow; x++) {
				double s = 0;
				for (int j = 0; j < k; j++)
					s += GAUSSIAN[j] * in[row + x + j];
				tmp[y * ow + x] = s;
			}
		}
		final double[] out = new double[ow * oh];
		for (int y = 0; y < oh; y++)
			for (int j = 0; j < k; j++) {
				final double g = GAUSSIAN[j];
				final int src = (y + j) * ow;
				final int dst = y * ow;
				for (int x = 0; x < ow; x++)
					out[dst + x] += g * tmp[src + x];
			}
		return out;
	}

	private static double[] gaussian(final int size, final double sigma) {
		final double[] g = new double[size];
		double sum = 0;
		for (int i = 0; i < size; i++) {
			final double r = i - (size - 1) / 2.0;
			g[i] = Math.exp(-(r * r) / (2 * sigma * sigma));
			sum += g[i];
		}
		for (int i = 0; i < size; i++)
			g[i] /= sum;
		return g;
	}

	private static void checkPlane(final double[] plane, final int width, final int height,
		final String what)
	{
		if (width < 1 || height < 1 || plane.length != (long) width * height)
			throw new IllegalArgumentException("the " + what + " has " + plane.length +
				" values, not " + width + " x " + height);
	}
}
