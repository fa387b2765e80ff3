package org.promptsr.attribution;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class GradientDetectorTest {

	@Test
	void valueByHand() {
		// 3x3 image, same in all channels; window is the single pixel (0,0):
		// a = y[0,0] - y[1,0] = 1 - 4 = -3, b = y[0,0] - y[0,1] = 1 - 5 = -4 -> 5 per channel.
		float[] plane = { 1, 5, 0, 4, 0, 0, 0, 0, 0 };
		float[] y = new float[27];
		for (int c = 0; c < 3; c++)
			System.arraycopy(plane, 0, y, 9 * c, 9);
		assertEquals(15.0, GradientDetector.value(y, 0, 3, 3, DetectorWindow.square(0, 0, 1)), 1e-12);
		// a 2x2 window adds (5-0, 5-0) -> sqrt(50), (4-0, 4-0) -> sqrt(32), (0, 0) -> 0
		assertEquals(3 * (5 + Math.sqrt(50) + Math.sqrt(32)), GradientDetector.value(y, 0, 3, 3, DetectorWindow.square(0, 0, 2)), 1e-9);
	}

	@Test
	void gradientMatchesFiniteDifferences() {
		Random r = new Random(3);
		int h = 7, w = 9;
		float[] y = new float[3 * h * w];
		for (int i = 0; i < y.length; i++)
			y[i] = r.nextFloat();
		DetectorWindow win = new DetectorWindow(2, 1, 4, 3);
		float[] g = new float[y.length];
		assertEquals(GradientDetector.value(y, 0, h, w, win), GradientDetector.gradient(y, 0, h, w, win, g), 0.0);
		double eps = 1e-3;
		int nonzero = 0;
		for (int i = 0; i < y.length; i++) {
			float keep = y[i];
			y[i] = (float) (keep + eps);
			double up = GradientDetector.value(y, 0, h, w, win);
			y[i] = (float) (keep - eps);
			double down = GradientDetector.value(y, 0, h, w, win);
			y[i] = keep;
			double fd = (up - down) / ((double) (float) (keep + eps) - (float) (keep - eps));
			assertEquals(fd, g[i], 1e-3, "element " + i);
			if (g[i] != 0) nonzero++;
		}
		// 3 channels x (window 4x3 plus its right column and lower row, minus the far corner)
		assertEquals(3 * (5 * 4 - 1), nonzero);
	}

	@Test
	void windowMustFitWithItsNeighbours() {
		float[] y = new float[3 * 8 * 8];
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
			() -> GradientDetector.value(y, 0, 8, 8, DetectorWindow.square(0, 0, 8)));
		assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> DetectorWindow.square(-1, 0, 4));
		assertThrows(IllegalArgumentException.class, () -> DetectorWindow.square(0, 0, 0));
	}
}
