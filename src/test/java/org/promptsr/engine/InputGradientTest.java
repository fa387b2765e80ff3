package org.promptsr.engine;

import org.junit.jupiter.api.Test;
import org.promptsr.attribution.DetectorWindow;
import org.promptsr.attribution.GradientDetector;
import org.promptsr.testutil.Fixtures;

import java.io.IOException;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * DJL's input gradient through a TorchScript transformer equals finite differences. The fixture is
 * the window-only baseline (windowed attention, LayerNorm, GELU, no argmax), so the function is
 * smooth and central differences are a fair reference.
 */
class InputGradientTest {

	@Test
	void inputGradientMatchesFiniteDifferences() throws IOException {
		int h = 10, w = 10;
		Random r = new Random(7);
		float[] x = new float[3 * h * w];
		for (int i = 0; i < x.length; i++)
			x[i] = 0.2f + 0.6f * r.nextFloat();
		DetectorWindow win = DetectorWindow.square(6, 5, 6);
		try (TorchScriptGradients model = TorchScriptGradients.load(Fixtures.path("wsa-tiny-x2.pt"))) {
			assertEquals(2, model.scale());
			float[] grad = model.inputGradient(x, 1, h, w, (y, n, oh, ow) -> {
				float[] dy = new float[y.length];
				GradientDetector.gradient(y, 0, oh, ow, win, dy);
				return dy;
			});
			assertEquals(x.length, grad.length);
			// central differences on 32 random coordinates (each needs two forward passes)
			double eps = 1e-2, err = 0, norm = 0;
			for (int k = 0; k < 32; k++) {
				int i = r.nextInt(x.length);
				float keep = x[i];
				x[i] = keep + (float) eps;
				double up = GradientDetector.value(model.forward(x, 1, h, w), 0, 2 * h, 2 * w, win);
				x[i] = keep - (float) eps;
				double down = GradientDetector.value(model.forward(x, 1, h, w), 0, 2 * h, 2 * w, win);
				x[i] = keep;
				double fd = (up - down) / ((double) (keep + (float) eps) - (keep - (float) eps));
				err += (fd - grad[i]) * (fd - grad[i]);
				norm += grad[i] * (double) grad[i];
			}
			double relative = Math.sqrt(err / norm);
			System.out.printf("input gradient vs central differences: relative error %.2e (|g| = %.3g)%n", relative, Math.sqrt(norm));
			assertTrue(norm > 0);
			assertTrue(relative < 1e-3, "relative error " + relative);
		}
	}

	@Test
	void gradientsDoNotAccumulateAcrossCalls() throws IOException {
		int h = 8, w = 8;
		float[] x = new float[3 * h * w];
		for (int i = 0; i < x.length; i++)
			x[i] = (i % 7) / 7f;
		DifferentiableModel.OutputGradient ones = (y, n, oh, ow) -> {
			float[] g = new float[y.length];
			java.util.Arrays.fill(g, 1f);
			return g;
		};
		try (TorchScriptGradients model = TorchScriptGradients.load(Fixtures.path("wsa-tiny-x2.pt"))) {
			float[] first = model.inputGradient(x, 1, h, w, ones);
			float[] second = model.inputGradient(x, 1, h, w, ones);
			assertArrayEquals(first, second, 0f);
			// the inference instance and the gradient instance compute the same forward
			float[] inference = Fixtures.model("wsa-tiny-x2").apply(x, 1, h, w);
			assertArrayEquals(inference, model.forward(x, 1, h, w), 1e-5f);
		}
	}
}
