package org.promptsr.attribution;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class DiffusionIndexTest {

	@Test
	void giniByHand() {
		// sorted 1, 2, 3 (+1e-7): sum (2i - n - 1) v_i = -2*1 + 0*2 + 2*3 = 4; n * sum = 18
		assertEquals(4.0 / 18, DiffusionIndex.gini(new float[] { 3, 1, 2 }), 1e-7);
		// negative values are shifted by -min: -1, 0, 1 -> 0, 1, 2: (-2*0 + 0 + 2*2) / (3*3)
		assertEquals(4.0 / 9, DiffusionIndex.gini(new float[] { 0, -1, 1 }), 1e-6);
	}

	@Test
	void uniformMapIsFullyDiffuse() {
		float[] map = new float[64 * 64];
		Arrays.fill(map, 0.7f);
		assertEquals(100.0, DiffusionIndex.of(map), 1e-9);
	}

	@Test
	void singleHotPixelIsNotDiffuse() {
		float[] map = new float[64 * 64];
		map[1234] = 1;
		double di = DiffusionIndex.of(map);
		// zeros become 1e-7 and the hot pixel 1 + 1e-7: G = (n - 1) / (n (1 + n 1e-7)), DI = 100 (1 - G)
		int n = map.length;
		assertEquals(100 * (1 - (n - 1) / (n * (1 + n * 1e-7))), di, 1e-6);
		assertTrue(di < 0.1);
	}
}
