package org.promptsr.attribution;

/**
 * LAM's progressive-blur path from a blurred baseline to the input (REFERENCE.md section 7):
 * sigma_k = sigma (1 - k/N) for k = 0..N, K_k an l x l normalised Gaussian with that sigma
 * (K_N is the identity), gamma_k = x * K_k and the path derivative d_k = N x * (K_k - K_{k-1}).
 * Filtering is correlation with reflect-101 borders (OpenCV's filter2D default, which LAM uses).
 *
 * <p>Images are [3, height, width] float arrays. Nothing is stored per step: each gamma_k and d_k is
 * computed when asked for.
 */
public final class BlurPath {
	private final float[] x;
	private final int height;
	private final int width;
	private final int steps;
	private final int kernel;
	private final double[][] kernels;

	public BlurPath(float[] x, int height, int width, double sigma, int steps, int kernel) {
		if (x.length != 3 * height * width) throw new IllegalArgumentException("image length does not match 3x" + height + "x" + width);
		if (!(sigma >= 0) || Double.isInfinite(sigma)) throw new IllegalArgumentException("Blur sigma must be >= 0, got " + sigma + ".");
		if (steps < 1) throw new IllegalArgumentException("The path needs at least 1 step, got " + steps + ".");
		if (kernel < 1 || kernel % 2 == 0) throw new IllegalArgumentException("The blur kernel size must be odd (e.g. 9), got " + kernel + ".");
		int radius = kernel / 2;
		if (height <= radius || width <= radius)
			throw new IllegalArgumentException("The input (" + width + "x" + height + ") must be larger than the blur kernel's radius (" +
				radius + " pixels); use a larger crop or a smaller kernel.");
		this.x = x;
		this.height = height;
		this.width = width;
		this.steps = steps;
		this.kernel = kernel;
		kernels = new double[steps + 1][];
		for (int k = 0; k <= steps; k++)
			kernels[k] = gaussian(kernel, sigma * (1.0 - (double) k / steps));
	}

	public int steps() {
		return steps;
	}

	/** The normalised l x l Gaussian exp(-(u^2 + v^2) / (2 (sigma + 1e-5)^2)), row-major. */
	static double[] gaussian(int size, double sigma) {
		double[] k = new double[size * size];
		int r = size / 2;
		double s = sigma + 1e-5;
		double sum = 0;
		for (int v = -r; v <= r; v++)
			for (int u = -r; u <= r; u++) {
				double e = Math.exp(-(u * u + v * v) / (2 * s * s));
				k[(v + r) * size + u + r] = e;
				sum += e;
			}
		for (int i = 0; i < k.length; i++)
			k[i] /= sum;
		return k;
	}

	/** gamma_k = x * K_k, k = 0..N (gamma_N = x). */
	public float[] image(int k) {
		checkStep(k, 0);
		return filter(kernels[k], 1.0);
	}

	/** d_k = N x * (K_k - K_{k-1}), k = 1..N. */
	public float[] derivative(int k) {
		checkStep(k, 1);
		double[] diff = new double[kernel * kernel];
		for (int i = 0; i < diff.length; i++)
			diff[i] = kernels[k][i] - kernels[k - 1][i];
		return filter(diff, steps);
	}

	private void checkStep(int k, int first) {
		if (k < first || k > steps) throw new IndexOutOfBoundsException("path step " + k + " not in " + first + ".." + steps);
	}

	private float[] filter(double[] kern, double factor) {
		int r = kernel / 2;
		float[] out = new float[x.length];
		int[] rows = new int[kernel];
		int[] cols = new int[kernel];
		for (int c = 0; c < 3; c++) {
			int base = c * height * width;
			for (int i = 0; i < height; i++) {
				for (int t = 0; t < kernel; t++)
					rows[t] = reflect101(i + t - r, height);
				for (int j = 0; j < width; j++) {
					for (int t = 0; t < kernel; t++)
						cols[t] = reflect101(j + t - r, width);
					double sum = 0;
					for (int v = 0; v < kernel; v++) {
						int row = base + rows[v] * width;
						for (int u = 0; u < kernel; u++)
							sum += kern[v * kernel + u] * x[row + cols[u]];
					}
					out[base + i * width + j] = (float) (sum * factor);
				}
			}
		}
		return out;
	}

	/** OpenCV's BORDER_REFLECT_101: gfedcb|abcdefgh|gfedcba. */
	static int reflect101(int i, int n) {
		if (n == 1) return 0;
		while (i < 0 || i >= n) {
			if (i < 0) i = -i;
			if (i >= n) i = 2 * n - 2 - i;
		}
		return i;
	}
}
