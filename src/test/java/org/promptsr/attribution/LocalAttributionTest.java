package org.promptsr.attribution;

import org.promptsr.progress.Progress;
import ij.IJ;
import ij.ImagePlus;
import org.junit.jupiter.api.Test;
import org.promptsr.engine.DifferentiableModel;
import org.promptsr.engine.TorchScriptGradients;
import org.promptsr.metrics.TestData;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.*;

class LocalAttributionTest {

	/** Nearest-neighbour x2 upscaling with its exact Jacobian: the output window depends on a known input block. */
	static final class NearestX2 implements DifferentiableModel {
		int calls;

		@Override
		public int scale() {
			return 2;
		}

		@Override
		public float[] forward(float[] x, int n, int h, int w) {
			float[] y = new float[n * 3 * 4 * h * w];
			for (int p = 0; p < n * 3; p++)
				for (int i = 0; i < 2 * h; i++)
					for (int j = 0; j < 2 * w; j++)
						y[(p * 2 * h + i) * 2 * w + j] = x[(p * h + i / 2) * w + j / 2];
			return y;
		}

		@Override
		public float[] inputGradient(float[] x, int n, int h, int w, OutputGradient objective) {
			calls++;
			float[] dy = objective.of(forward(x, n, h, w), n, 2 * h, 2 * w);
			float[] dx = new float[x.length];
			for (int p = 0; p < n * 3; p++)
				for (int i = 0; i < 2 * h; i++)
					for (int j = 0; j < 2 * w; j++)
						dx[(p * h + i / 2) * w + j / 2] += dy[(p * 2 * h + i) * 2 * w + j];
			return dx;
		}
	}

	private static float[] texture(int h, int w, long seed) {
		Random r = new Random(seed);
		float[] x = new float[3 * h * w];
		for (int i = 0; i < x.length; i++)
			x[i] = r.nextFloat();
		return x;
	}

	@Test
	void attributionStaysWhereTheWindowDependsOnTheInput() {
		int h = 24, w = 24;
		// SR window x 20..27, y 12..19 (+1 neighbour) reads input columns 10..14, rows 6..10
		DetectorWindow win = DetectorWindow.square(20, 12, 8);
		NearestX2 model = new NearestX2();
		AttributionResult r = new LocalAttribution(model, new LamSettings(1.2, 10, 9, 3)).compute(texture(h, w, 1), h, w, win,
			Progress.NONE);
		assertEquals(4, model.calls); // 10 steps in batches of 3
		double inside = 0, outside = 0;
		for (int i = 0; i < h; i++)
			for (int j = 0; j < w; j++) {
				double v = r.map[i * w + j];
				if (i >= 6 && i <= 10 && j >= 10 && j <= 14) inside += v;
				else outside += v;
			}
		assertEquals(0.0, outside, 1e-12, "attribution outside the window's input block");
		assertTrue(inside > 0);
		float max = 0;
		for (float v : r.map) max = Math.max(max, v);
		assertEquals(1f, max, 0f);
		// the map covers at most 25 of 576 pixels: far from diffuse
		assertTrue(r.diffusionIndex < 100.0 * 25 / 576, "DI " + r.diffusionIndex);
		// the SR output kept is F(x)
		assertArrayEquals(model.forward(texture(h, w, 1), 1, h, w), r.superResolved, 0f);
	}

	@Test
	void completenessHoldsForALocalModel() {
		int h = 20, w = 20;
		AttributionResult r = new LocalAttribution(new NearestX2(), LamSettings.defaults()).compute(texture(h, w, 2), h, w,
			DetectorWindow.square(12, 12, 16), Progress.NONE);
		assertTrue(r.completenessError() < 0.05, "completeness error " + r.completenessError());
	}

	@Test
	void cancelStopsBetweenSteps() {
		int h = 16, w = 16;
		int[] seen = new int[1];
		Progress cancelAfterTwo = new Progress() {
			@Override
			public void stepDone(int done, int total) {
				seen[0] = done;
			}

			@Override
			public boolean isCanceled() {
				return seen[0] >= 2;
			}
		};
		NearestX2 model = new NearestX2();
		assertThrows(CancellationException.class, () -> new LocalAttribution(model, LamSettings.defaults())
			.compute(texture(h, w, 3), h, w, DetectorWindow.square(4, 4, 8), cancelAfterTwo));
		assertEquals(2, model.calls);
	}

	@Test
	void windowOutsideTheOutputIsRejectedBeforeWork() {
		NearestX2 model = new NearestX2();
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LocalAttribution(model,
			LamSettings.defaults()).compute(texture(16, 16, 4), 16, 16, DetectorWindow.square(20, 0, 16), Progress.NONE));
		assertTrue(e.getMessage().contains("32x32 SR image"), e.getMessage());
		assertEquals(0, model.calls);
	}

	/**
	 * The path integral on the shipped PromptSR, on the centre 32x32 of each Set5 x2 LR image, window
	 * 16x16 at SR (24, 24). PromptSR is only piecewise smooth: CSA assigns tokens to categories by an
	 * argmax, and D(F(gamma_k)) jumps where an assignment flips along the path; gradients cannot see
	 * those jumps, so more steps do not shrink the error (measured on a zone plate: 1.8 % with 50 steps,
	 * 2.7 % with 100). The median over the five images must be within 5 %; every figure is printed.
	 * (baby's crop is nearly flat: D barely changes along the path, so its relative error is not meaningful.)
	 */
	@Test
	void completenessOnTheShippedModel() throws IOException {
		Path weights = Paths.get(System.getProperty("user.dir"), "models", "promptsr-x2.pt");
		TestData.assumeSet("Set5");
		Path lr = TestData.root().resolve("val/Set5/LR_bicubic/X2");
		String[] names = { "baby", "bird", "butterfly", "head", "woman" };
		double[] errors = new double[names.length];
		try (TorchScriptGradients model = TorchScriptGradients.load(weights)) {
			for (int i = 0; i < names.length; i++) {
				ImagePlus imp = IJ.openImage(lr.resolve(names[i] + "x2.png").toString());
				assertNotNull(imp, "Set5 LR image " + names[i]);
				imp.setRoi(imp.getWidth() / 2 - 16, imp.getHeight() / 2 - 16, 32, 32);
				ImagePlus crop = imp.crop();
				long t0 = System.nanoTime();
				AttributionResult r = new LocalAttribution(model, LamSettings.defaults()).compute(LamImages.modelInput(crop), 32, 32,
					DetectorWindow.square(24, 24, 16), Progress.NONE);
				errors[i] = r.completenessError();
				System.out.printf("LAM completeness, promptsr-x2, Set5 %s centre 32x32, 50 steps: sum A = %.4f, " +
					"D(F(x)) - D(F(gamma_0)) = %.4f, error %.2f%%, DI %.2f, %.1f s%n", names[i], r.attributionSum,
					r.detectorOutput - r.detectorBaseline, 100 * errors[i], r.diffusionIndex, (System.nanoTime() - t0) / 1e9);
			}
		}
		double[] sorted = errors.clone();
		Arrays.sort(sorted);
		assertTrue(sorted[names.length / 2] < 0.05, "median completeness error " + sorted[names.length / 2]);
	}
}
