package org.promptsr.attribution;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class BlurPathTest {

	private static float[] random(int n, long seed) {
		Random r = new Random(seed);
		float[] x = new float[n];
		for (int i = 0; i < n; i++)
			x[i] = r.nextFloat();
		return x;
	}

	@Test
	void pathEndsAtTheInputAndStartsBlurred() {
		int h = 12, w = 10;
		float[] x = random(3 * h * w, 1);
		BlurPath path = new BlurPath(x, h, w, 1.2, 50, 9);
		assertArrayEquals(x, path.image(50), 0f);
		float[] blurred = path.image(0);
		assertTrue(variance(blurred) < 0.5 * variance(x), "gamma_0 should be smoother than x");
	}

	@Test
	void derivativesSumToTheWholePath() {
		// (1/N) sum_k d_k = sum_k (gamma_k - gamma_{k-1}) = x - gamma_0
		int h = 11, w = 13, n = 20;
		float[] x = random(3 * h * w, 2);
		BlurPath path = new BlurPath(x, h, w, 1.2, n, 9);
		double[] sum = new double[x.length];
		for (int k = 1; k <= n; k++) {
			float[] d = path.derivative(k);
			for (int i = 0; i < x.length; i++)
				sum[i] += d[i] / (double) n;
		}
		float[] g0 = path.image(0);
		for (int i = 0; i < x.length; i++)
			assertEquals(x[i] - g0[i], sum[i], 1e-5);
	}

	@Test
	void kernelIsNormalisedAndBorderReflects101() {
		double[] k = BlurPath.gaussian(9, 1.2);
		double s = 0;
		for (double v : k) s += v;
		assertEquals(1.0, s, 1e-12);
		assertEquals(k[0], k[80], 1e-15);
		assertEquals(1.0, BlurPath.gaussian(9, 0)[40], 1e-12); // sigma 0: identity
		// gfedcb|abcdefgh|gfedcba
		assertEquals(1, BlurPath.reflect101(-1, 8));
		assertEquals(4, BlurPath.reflect101(-4, 8));
		assertEquals(6, BlurPath.reflect101(8, 8));
		assertEquals(3, BlurPath.reflect101(11, 8));
	}

	@Test
	void constantImageStaysConstant() {
		int h = 6, w = 6;
		float[] x = new float[3 * h * w];
		java.util.Arrays.fill(x, 0.25f);
		BlurPath path = new BlurPath(x, h, w, 1.2, 10, 9);
		for (float v : path.image(0)) assertEquals(0.25f, v, 1e-6f);
		for (float v : path.derivative(3)) assertEquals(0f, v, 1e-5f);
	}

	@Test
	void badParametersAreNamed() {
		float[] x = new float[3 * 16];
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new BlurPath(x, 4, 4, 1.2, 50, 8)).getMessage().contains("odd"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new BlurPath(x, 4, 4, 1.2, 50, 9)).getMessage().contains("radius"));
		assertThrows(IllegalArgumentException.class, () -> new BlurPath(x, 4, 4, 1.2, 0, 3));
		assertThrows(IllegalArgumentException.class, () -> new BlurPath(x, 4, 4, -1, 5, 3));
	}

	private static double variance(float[] v) {
		double m = 0, q = 0;
		for (float f : v) m += f;
		m /= v.length;
		for (float f : v) q += (f - m) * (f - m);
		return q / v.length;
	}
}
