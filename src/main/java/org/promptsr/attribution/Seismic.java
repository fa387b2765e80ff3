package org.promptsr.attribution;

/**
 * The diverging 'seismic' colour map (dark blue, blue, white, red, dark red at 0, 1/4, 1/2, 3/4, 1),
 * sampled into 256 entries and looked up as matplotlib does, so that maps look like the paper's.
 */
final class Seismic {
	private static final double[][] NODES = { { 0, 0, 0.3 }, { 0, 0, 1 }, { 1, 1, 1 }, { 1, 0, 0 }, { 0.5, 0, 0 } };
	private static final int N = 256;
	private static final int[] LUT = new int[N];

	static {
		for (int i = 0; i < N; i++) {
			double t = i / (double) (N - 1) * (NODES.length - 1);
			int k = Math.min((int) t, NODES.length - 2);
			double f = t - k;
			int rgb = 0;
			for (int c = 0; c < 3; c++) {
				double v = NODES[k][c] + f * (NODES[k + 1][c] - NODES[k][c]);
				rgb = (rgb << 8) | (int) (255 * v); // truncated, as (255 * cmap(v)).astype(uint8)
			}
			LUT[i] = rgb;
		}
	}

	private Seismic() {}

	/** RGB (0xRRGGBB) for {@code v} in [0, 1]; values outside are clamped. */
	static int rgb(double v) {
		int i = (int) (v * N);
		return LUT[Math.max(0, Math.min(N - 1, i))];
	}
}
