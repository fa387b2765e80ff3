package org.promptsr.prompts;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The input similarities of t-SNE, sparse: for each point its k = floor(3 perplexity) nearest
 * neighbours (exact, squared Euclidean distances), a Gaussian whose width is searched until the
 * conditional distribution has the wanted perplexity, then p_ij = (p_j|i + p_i|j) / 2n. Rows are
 * sorted by column; the entries sum to 1.
 */
final class Affinities {
	/** Rows compared with all points together (a block of 3072-D rows stays in a 2 MB cache). */
	private static final int BLOCK = 16;

	final int n;
	final int[] rowStart;
	final int[] column;
	final double[] value;

	private Affinities(int n, int[] rowStart, int[] column, double[] value) {
		this.n = n;
		this.rowStart = rowStart;
		this.column = column;
		this.value = value;
	}

	/** Neighbours used for a perplexity: floor(3 perplexity), at most n - 1. */
	static int neighbours(int n, double perplexity) {
		return (int) Math.max(1, Math.min(n - 1, Math.floor(3 * perplexity)));
	}

	static Affinities of(double[][] x, double perplexity, boolean parallel) {
		int n = x.length;
		int k = neighbours(n, perplexity);
		int[] cols = new int[n * k];
		double[] cond = new double[n * k];
		int blocks = (n + BLOCK - 1) / BLOCK;
		IntStream range = IntStream.range(0, blocks);
		(parallel ? range.parallel() : range).forEach(b -> {
			int from = b * BLOCK, to = Math.min(n, from + BLOCK);
			double[][] d2 = new double[to - from][k];
			int[][] idx = new int[to - from][k];
			nearest(x, from, to, d2, idx);
			for (int i = from; i < to; i++)
				row(i, d2[i - from], idx[i - from], perplexity, cols, cond);
		});
		return symmetrize(n, k, cols, cond);
	}

	/**
	 * The k nearest other points of each point in [from, to) (ties by lower index), by squared
	 * distance. A block of rows is compared with each point in turn, so every point is read from
	 * memory once per block rather than once per row.
	 */
	private static void nearest(double[][] x, int from, int to, double[][] d2, int[][] idx) {
		int k = d2[0].length;
		int[] size = new int[to - from];
		for (int j = 0; j < x.length; j++) {
			double[] xj = x[j];
			for (int i = from; i < to; i++) {
				if (j == i) continue;
				int r = i - from;
				double d = distance2(x[i], xj);
				if (size[r] < k) {
					d2[r][size[r]] = d;
					idx[r][size[r]] = j;
					siftUp(d2[r], idx[r], size[r]++);
				}
				else if (d < d2[r][0]) {
					d2[r][0] = d;
					idx[r][0] = j;
					siftDown(d2[r], idx[r], size[r]);
				}
			}
		}
	}

	/** Row i of the conditional affinities, sorted by neighbour index. */
	private static void row(int i, double[] d2, int[] idx, double perplexity, int[] cols, double[] cond) {
		int k = d2.length;
		double[] p = new double[k];
		calibrate(d2, perplexity, p, 0);
		Integer[] order = new Integer[k];
		for (int m = 0; m < k; m++)
			order[m] = m;
		Arrays.sort(order, (a, b) -> Integer.compare(idx[a], idx[b]));
		for (int m = 0; m < k; m++) {
			cols[i * k + m] = idx[order[m]];
			cond[i * k + m] = p[order[m]];
		}
	}

	private static boolean above(double[] d, int[] idx, int a, int b) {
		return d[a] > d[b] || (d[a] == d[b] && idx[a] > idx[b]);
	}

	private static void siftUp(double[] d, int[] idx, int c) {
		while (c > 0) {
			int parent = (c - 1) / 2;
			if (!above(d, idx, c, parent)) return;
			swap(d, idx, c, parent);
			c = parent;
		}
	}

	private static void siftDown(double[] d, int[] idx, int size) {
		int c = 0;
		while (true) {
			int l = 2 * c + 1, r = l + 1, top = c;
			if (l < size && above(d, idx, l, top)) top = l;
			if (r < size && above(d, idx, r, top)) top = r;
			if (top == c) return;
			swap(d, idx, c, top);
			c = top;
		}
	}

	private static void swap(double[] d, int[] idx, int a, int b) {
		double t = d[a];
		d[a] = d[b];
		d[b] = t;
		int s = idx[a];
		idx[a] = idx[b];
		idx[b] = s;
	}

	/**
	 * Writes p_j|i = exp(-beta d_j) / sum into out[off..], beta found by bisection so that the
	 * entropy is ln(perplexity) (within 1e-5 nats). Distances are shifted by their minimum first,
	 * which leaves the distribution unchanged and keeps exp() away from underflow.
	 */
	static void calibrate(double[] d2, double perplexity, double[] out, int off) {
		int k = d2.length;
		double min = Double.POSITIVE_INFINITY, mean = 0;
		for (double d : d2)
			min = Math.min(min, d);
		for (double d : d2)
			mean += (d - min) / k;
		double target = Math.log(perplexity);
		double beta = mean > 0 ? 1 / mean : 1, lo = 0, hi = Double.POSITIVE_INFINITY;
		for (int iter = 0; iter < 200; iter++) {
			double sum = 0, weighted = 0;
			for (int m = 0; m < k; m++) {
				double s = d2[m] - min;
				double p = Math.exp(-beta * s);
				out[off + m] = p;
				sum += p;
				weighted += p * s;
			}
			double entropy = Math.log(sum) + beta * weighted / sum;
			double diff = entropy - target;
			for (int m = 0; m < k; m++)
				out[off + m] /= sum;
			if (Math.abs(diff) < 1e-5) return;
			if (diff > 0) { // too flat: narrow the Gaussian
				lo = beta;
				beta = Double.isInfinite(hi) ? 2 * beta : 0.5 * (beta + hi);
			}
			else {
				hi = beta;
				beta = 0.5 * (beta + lo);
			}
		}
	}

	private static Affinities symmetrize(int n, int k, int[] cols, double[] cond) {
		// transpose of the k-nearest-neighbour graph (rows filled in increasing source order)
		int[] tStart = new int[n + 1];
		for (int c : cols)
			tStart[c + 1]++;
		for (int i = 0; i < n; i++)
			tStart[i + 1] += tStart[i];
		int[] tCol = new int[n * k];
		double[] tVal = new double[n * k];
		int[] fill = Arrays.copyOf(tStart, n);
		for (int i = 0; i < n; i++)
			for (int m = i * k; m < i * k + k; m++) {
				int at = fill[cols[m]]++;
				tCol[at] = i;
				tVal[at] = cond[m];
			}
		int[] start = new int[n + 1];
		int[] col = new int[2 * n * k];
		double[] val = new double[2 * n * k];
		double scale = 1.0 / (2.0 * n);
		int at = 0;
		for (int i = 0; i < n; i++) {
			start[i] = at;
			int a = i * k, aEnd = a + k, b = tStart[i], bEnd = tStart[i + 1];
			while (a < aEnd || b < bEnd) {
				int ca = a < aEnd ? cols[a] : Integer.MAX_VALUE, cb = b < bEnd ? tCol[b] : Integer.MAX_VALUE;
				double v = 0;
				int c = Math.min(ca, cb);
				if (ca == c) v += cond[a++];
				if (cb == c) v += tVal[b++];
				col[at] = c;
				val[at++] = v * scale;
			}
		}
		start[n] = at;
		return new Affinities(n, start, Arrays.copyOf(col, at), Arrays.copyOf(val, at));
	}

	/**
	 * Squared Euclidean distance, summed in four independent chains: the JIT keeps a floating-point
	 * sum in source order, so one chain would wait for every addition.
	 */
	static double distance2(double[] a, double[] b) {
		double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
		int i = 0, end = a.length - 3;
		for (; i < end; i += 4) {
			double d0 = a[i] - b[i], d1 = a[i + 1] - b[i + 1], d2 = a[i + 2] - b[i + 2], d3 = a[i + 3] - b[i + 3];
			s0 += d0 * d0;
			s1 += d1 * d1;
			s2 += d2 * d2;
			s3 += d3 * d3;
		}
		for (; i < a.length; i++) {
			double d = a[i] - b[i];
			s0 += d * d;
		}
		return (s0 + s1) + (s2 + s3);
	}

	double sum() {
		double s = 0;
		for (double v : value)
			s += v;
		return s;
	}
}
