package org.promptsr.prompts;

import java.util.stream.IntStream;

/**
 * Silhouette coefficients (P. J. Rousseeuw, 1987) with Euclidean distances: for point i,
 * a = mean distance to the other points of its cluster, b = the smallest mean distance to the
 * points of another cluster, s = (b - a) / max(a, b). A point alone in its cluster scores 0.
 * The mean over all points lies in [-1, 1]; near 1 the clusters are compact and far apart,
 * near 0 they overlap. Undefined (NaN) with fewer than two clusters.
 */
public final class Silhouette {
	private static final int BLOCK = 16;
	private Silhouette() {}

	/** One value per point; {@code labels} are cluster ids 0..k-1. */
	public static double[] values(double[][] x, int[] labels) {
		int n = x.length;
		if (labels.length != n) throw new IllegalArgumentException(n + " points but " + labels.length + " labels");
		int k = 0;
		for (int l : labels) {
			if (l < 0) throw new IllegalArgumentException("labels must be >= 0, got " + l);
			k = Math.max(k, l + 1);
		}
		int[] size = new int[k];
		for (int l : labels)
			size[l]++;
		int clusters = 0;
		for (int s : size)
			if (s > 0) clusters++;
		double[] s = new double[n];
		if (clusters < 2) {
			java.util.Arrays.fill(s, Double.NaN);
			return s;
		}
		int kk = k;
		int blocks = (n + BLOCK - 1) / BLOCK;
		IntStream.range(0, blocks).parallel().forEach(b -> {
			int from = b * BLOCK, to = Math.min(n, from + BLOCK);
			// summed distances from each row of the block to each cluster; a point is read once per block
			double[][] sum = new double[to - from][kk];
			for (int j = 0; j < n; j++)
				for (int i = from; i < to; i++)
					if (j != i) sum[i - from][labels[j]] += Math.sqrt(Affinities.distance2(x[i], x[j]));
			for (int i = from; i < to; i++)
				s[i] = score(sum[i - from], labels[i], size);
		});
		return s;
	}

	private static double score(double[] sum, int own, int[] size) {
		if (size[own] == 1) return 0;
		double a = sum[own] / (size[own] - 1);
		double b = Double.POSITIVE_INFINITY;
		for (int c = 0; c < sum.length; c++)
			if (c != own && size[c] > 0) b = Math.min(b, sum[c] / size[c]);
		double m = Math.max(a, b);
		return m > 0 ? (b - a) / m : 0;
	}

	/** The mean silhouette of all points. */
	public static double mean(double[][] x, int[] labels) {
		double[] s = values(x, labels);
		double sum = 0;
		for (double v : s)
			sum += v;
		return sum / s.length;
	}
}
