package org.promptsr.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * libtorch's 3x3 convolutions against a direct sum, at the widths where oneDNN's AVX2/AVX-512 kernels
 * were measured wrong on an AMD EPYC (see {@link OneDnnIsaCap}): forward with 24 input channels (the
 * test fixtures' width) and the input gradient with 12 and 27 output channels (the x2 and x3 decoders,
 * which LAM differentiates). Inputs of 48x64 are large enough for libtorch to choose oneDNN over its
 * own kernel (above 20480 values). With the cap removed ({@code ONEDNN_MAX_CPU_ISA=ALL mvn test
 * -Dtest=OneDnnConvolutionTest}) both fail on that machine, by amounts that change from run to run
 * (max abs diff 3.5 and 7.2 forward, 4.8 and 5.8 gradient, in two runs).
 */
class OneDnnConvolutionTest {

	@Test
	void forwardWith24InputChannelsIsTheDirectSum() throws Exception {
		assertForwardExact(24, 24);
	}

	@Test
	void inputGradientWithDecoderWidthsIsTheDirectSum() throws Exception {
		assertGradientExact(48, 12);
		assertGradientExact(48, 27);
	}

	private static final int H = 48, W = 64;

	private static void assertForwardExact(int cin, int cout) throws Exception {
		float[] x = random(cin * H * W, 1), w = random(cout * cin * 9, 2);
		float[] expected = Direct.forward(x, w, cin, cout);
		float[] got = DjlRuntime.call(() -> {
			try (NDManager m = NDManager.newBaseManager()) {
				return Conv2d.conv2d(m.create(x, new Shape(1, cin, H, W)), m.create(w, new Shape(cout, cin, 3, 3)), null,
					new Shape(1, 1), new Shape(1, 1)).singletonOrThrow().toFloatArray();
			}
		});
		double d = maxAbsDiff(got, expected);
		System.out.printf("%s: 3x3 conv %d->%d forward, max abs diff %.3g from the direct sum%n", DjlRuntime.oneDnn(), cin, cout, d);
		assertTrue(d < 1e-4, "3x3 convolution " + cin + "->" + cout + " differs from the direct sum by " + d);
	}

	private static void assertGradientExact(int cin, int cout) throws Exception {
		float[] x = random(cin * H * W, 3), w = random(cout * cin * 9, 4), g = random(cout * H * W, 5);
		float[] expected = Direct.inputGradient(g, w, cin, cout);
		float[] got = DjlRuntime.call(() -> {
			try (NDManager m = NDManager.newBaseManager(); GradientCollector c = Engine.getEngine("PyTorch").newGradientCollector()) {
				NDArray in = m.create(x, new Shape(1, cin, H, W));
				in.setRequiresGradient(true);
				NDArray y = Conv2d.conv2d(in, m.create(w, new Shape(cout, cin, 3, 3)), null, new Shape(1, 1), new Shape(1, 1))
					.singletonOrThrow();
				c.backward(y.mul(m.create(g, y.getShape())).sum());
				return in.getGradient().toFloatArray();
			}
		});
		double d = maxAbsDiff(got, expected);
		System.out.printf("%s: 3x3 conv %d->%d input gradient, max abs diff %.3g from the direct sum%n", DjlRuntime.oneDnn(), cin,
			cout, d);
		assertTrue(d < 1e-4, "gradient of 3x3 convolution " + cin + "->" + cout + " differs from the direct sum by " + d);
	}

	/** Zero-padded 3x3 convolution, stride 1, no bias, one image, in plain loops. */
	static final class Direct {
		static float[] forward(float[] x, float[] w, int cin, int cout) {
			float[] y = new float[cout * H * W];
			taps(cin, cout, (out, in, k) -> y[out] += w[k] * x[in]);
			return y;
		}

		/** d/dx of sum(conv(x) * g): each output's g flows back to the inputs it read. */
		static float[] inputGradient(float[] g, float[] w, int cin, int cout) {
			float[] dx = new float[cin * H * W];
			taps(cin, cout, (out, in, k) -> dx[in] += w[k] * g[out]);
			return dx;
		}

		interface Tap {
			void visit(int out, int in, int weight);
		}

		/** Every (output value, input value, weight) index triple the convolution multiplies. */
		private static void taps(int cin, int cout, Tap tap) {
			for (int o = 0; o < cout; o++)
				for (int i = 0; i < cin; i++)
					for (int ky = 0; ky < 3; ky++)
						for (int kx = 0; kx < 3; kx++)
							for (int r = 0; r < H; r++) {
								int sr = r + ky - 1;
								if (sr < 0 || sr >= H) continue;
								for (int col = 0; col < W; col++) {
									int sc = col + kx - 1;
									if (sc >= 0 && sc < W) tap.visit((o * H + r) * W + col, (i * H + sr) * W + sc, ((o * cin + i) * 3 + ky) * 3 + kx);
								}
							}
		}
	}

	private static float[] random(int n, long seed) {
		Random r = new Random(seed);
		float[] a = new float[n];
		for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian() * 0.5f;
		return a;
	}

	private static double maxAbsDiff(float[] a, float[] b) {
		assertEquals(b.length, a.length);
		double d = 0;
		for (int i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
		return d;
	}
}
