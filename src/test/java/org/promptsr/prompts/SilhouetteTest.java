package org.promptsr.prompts;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SilhouetteTest {

	@Test
	void matchesAHandComputedExample() {
		// A = {0, 2}, B = {5, 9} on a line.
		// 0: a = 2, b = (5 + 9) / 2 = 7 -> 5/7;  2: a = 2, b = (3 + 7) / 2 = 5 -> 3/5
		// 5: a = 4, b = (5 + 3) / 2 = 4 -> 0;    9: a = 4, b = (9 + 7) / 2 = 8 -> 1/2
		double[][] x = { { 0 }, { 2 }, { 5 }, { 9 } };
		int[] labels = { 0, 0, 1, 1 };
		assertArrayEquals(new double[] { 5.0 / 7, 3.0 / 5, 0, 0.5 }, Silhouette.values(x, labels), 1e-12);
		assertEquals((5.0 / 7 + 3.0 / 5 + 0 + 0.5) / 4, Silhouette.mean(x, labels), 1e-12);
	}

	@Test
	void usesEuclideanDistancesAndScoresSingletonsZero() {
		// |(0,0)-(3,4)| = 5, |(0,0)-(6,8)| = 10, |(3,4)-(6,8)| = 5
		// (0,0): a = 5, b = 10 -> 0.5; (3,4): a = 5, b = 5 -> 0; (6,8) is alone -> 0
		double[][] x = { { 0, 0 }, { 3, 4 }, { 6, 8 } };
		assertArrayEquals(new double[] { 0.5, 0, 0 }, Silhouette.values(x, new int[] { 0, 0, 1 }), 1e-12);
		assertEquals(0.5 / 3, Silhouette.mean(x, new int[] { 0, 0, 1 }), 1e-12);
	}

	@Test
	void labelsMayLeaveGapsAndOneClusterIsUndefined() {
		double[][] x = { { 0 }, { 2 }, { 5 }, { 9 } };
		assertEquals((5.0 / 7 + 3.0 / 5 + 0 + 0.5) / 4, Silhouette.mean(x, new int[] { 3, 3, 7, 7 }), 1e-12);
		assertTrue(Double.isNaN(Silhouette.mean(x, new int[] { 1, 1, 1, 1 })));
		assertThrows(IllegalArgumentException.class, () -> Silhouette.mean(x, new int[] { 0, 1 }));
	}
}
