package org.promptsr.prompts;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class TsneTest {

	/** {@code clusters} Gaussian blobs (sd 1) in {@code dim} dimensions, centres 6 sd apart on average. */
	static double[][] blobs(int clusters, int perCluster, int dim, long seed, int[] labels) {
		Random r = new Random(seed);
		double[][] centres = new double[clusters][dim];
		for (double[] c : centres)
			for (int k = 0; k < dim; k++)
				c[k] = 6 / Math.sqrt(2 * dim) * r.nextGaussian() * Math.sqrt(2);
		double[][] x = new double[clusters * perCluster][dim];
		for (int i = 0; i < x.length; i++) {
			labels[i] = i % clusters;
			for (int k = 0; k < dim; k++)
				x[i][k] = centres[labels[i]][k] + r.nextGaussian();
		}
		return x;
	}

	@Test
	void separatesGaussianClusters() {
		int[] labels = new int[200];
		double[][] x = blobs(4, 50, 48, 7, labels);
		double inInput = Silhouette.mean(x, labels);
		Tsne.Result r = new Tsne().perplexity(30).iterations(1000).seed(1).embed(x);
		double inMap = Silhouette.mean(r.map, labels);
		System.out.printf("4 blobs x 50 points, 48-D: silhouette input %.3f, t-SNE map %.3f, KL %.3f%n", inInput, inMap, r.klDivergence);
		assertTrue(inMap > 0.5, "silhouette of the map " + inMap);
		assertTrue(r.klDivergence > 0 && r.klDivergence < 2, "KL " + r.klDivergence);
	}

	@Test
	void aSeedGivesTheSameMapWithAndWithoutThreads() {
		int[] labels = new int[150];
		double[][] x = blobs(3, 50, 20, 3, labels);
		Tsne tsne = new Tsne().perplexity(20).iterations(300).seed(5);
		double[][] a = tsne.embed(x).map;
		double[][] b = tsne.embed(x).map;
		double[][] c = tsne.parallel(false).embed(x).map;
		double[][] d = new Tsne().perplexity(20).iterations(300).seed(6).embed(x).map;
		for (int i = 0; i < x.length; i++) {
			assertArrayEquals(a[i], b[i], 0.0, "run to run, point " + i);
			assertArrayEquals(a[i], c[i], 0.0, "threads vs none, point " + i);
		}
		double moved = 0;
		for (int i = 0; i < x.length; i++)
			moved = Math.max(moved, Math.abs(a[i][0] - d[i][0]));
		assertTrue(moved > 1e-3, "another seed gives another map");
	}

	@Test
	void fewPointsLowerThePerplexity() {
		int[] labels = new int[10];
		double[][] x = blobs(2, 5, 4, 1, labels);
		Tsne.Result r = new Tsne().perplexity(30).iterations(200).embed(x);
		assertEquals(3.0, r.perplexity, 1e-12);
		assertEquals(10, r.map.length);
		assertThrows(IllegalArgumentException.class, () -> new Tsne().embed(new double[][] { { 0 }, { 1 } }));
		assertThrows(IllegalArgumentException.class, () -> new Tsne().embed(new double[][] { { 0 }, { 1 }, { Double.NaN } }));
		assertThrows(IllegalArgumentException.class, () -> new Tsne().perplexity(0));
	}

	@Test
	void affinitiesHaveThePerplexityAndAreSymmetric() {
		int[] labels = new int[60];
		double[][] x = blobs(3, 20, 5, 2, labels);
		double[] d2 = new double[30];
		for (int m = 0; m < d2.length; m++)
			d2[m] = Affinities.distance2(x[0], x[m + 1]);
		double[] p = new double[30];
		Affinities.calibrate(d2, 10, p, 0);
		double h = 0, sum = 0;
		for (double v : p) {
			sum += v;
			if (v > 0) h -= v * Math.log(v);
		}
		assertEquals(1, sum, 1e-12);
		assertEquals(Math.log(10), h, 1e-4);

		Affinities a = Affinities.of(x, 10, true);
		assertEquals(1, a.sum(), 1e-12);
		for (int i = 0; i < a.n; i++)
			for (int m = a.rowStart[i]; m < a.rowStart[i + 1]; m++) {
				int j = a.column[m];
				assertNotEquals(i, j);
				if (m > a.rowStart[i]) assertTrue(a.column[m - 1] < j, "row " + i + " sorted");
				assertEquals(a.value[m], valueAt(a, j, i), 0.0, "p_ij = p_ji");
			}
	}

	private static double valueAt(Affinities a, int i, int j) {
		for (int m = a.rowStart[i]; m < a.rowStart[i + 1]; m++)
			if (a.column[m] == j) return a.value[m];
		return 0;
	}

	@Test
	void quadTreeRepulsionIsExactAtThetaZeroAndCloseAtHalf() {
		Random r = new Random(11);
		int n = 300;
		double[] y = new double[2 * n];
		for (int i = 0; i < y.length; i++)
			y[i] = 10 * r.nextGaussian();
		// duplicates and a tight pair exercise the leaves that hold several points
		y[2] = y[0];
		y[3] = y[1];
		y[4] = y[0] + 1e-13;
		y[5] = y[1];
		QuadTree tree = new QuadTree(y, n);
		double errSq = 0, forceSq = 0, zSum = 0, zApproxSum = 0;
		for (int i = 0; i < n; i++) {
			double fx = 0, fy = 0, z = 0;
			for (int j = 0; j < n; j++) {
				if (j == i) continue;
				double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
				double q = 1 / (1 + dx * dx + dy * dy);
				z += q;
				fx += q * q * dx;
				fy += q * q * dy;
			}
			double[] exact = new double[2];
			double zExact = tree.repulsion(i, 0, exact, new int[QuadTree.stackSize()]);
			assertEquals(z, zExact, 1e-9 * z);
			assertEquals(fx, exact[0], 1e-9 * (Math.abs(fx) + 1e-12));
			assertEquals(fy, exact[1], 1e-9 * (Math.abs(fy) + 1e-12));
			double[] approx = new double[2];
			double zApprox = tree.repulsion(i, 0.5, approx, new int[QuadTree.stackSize()]);
			assertEquals(z, zApprox, 0.05 * z);
			zSum += z;
			zApproxSum += zApprox;
			errSq += (approx[0] - fx) * (approx[0] - fx) + (approx[1] - fy) * (approx[1] - fy);
			forceSq += fx * fx + fy * fy;
		}
		double relative = Math.sqrt(errSq / forceSq);
		System.out.printf("Barnes-Hut theta 0.5: force error %.4f (root mean square, relative) over %d points, Z off by %.2e%n",
			relative, n, zApproxSum / zSum - 1);
		assertEquals(zSum, zApproxSum, 0.01 * zSum);
		assertTrue(relative < 0.05, "relative force error " + relative);
	}
}
