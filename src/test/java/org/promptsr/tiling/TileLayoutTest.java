package org.promptsr.tiling;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TileLayoutTest {

	@Test
	void tilesCoverTheAxisWithAtLeastTheOverlapAndPositiveWeights() {
		for (int size : new int[] { 1, 7, 64, 65, 100, 113, 257, 1000 })
			for (int overlap : new int[] { 0, 4, 16 }) {
				TileLayout l = TileLayout.of(size, 64, overlap);
				assertEquals(0, l.start(0));
				assertEquals(size, l.start(l.count() - 1) + l.tile, "last tile ends at the border");
				for (int i = 1; i < l.count(); i++)
					assertTrue(l.start(i - 1) + l.tile - l.start(i) >= overlap, "overlap at " + i + " for size " + size);
				for (int x = 0; x < size; x++) {
					double sum = 0;
					for (int i = 0; i < l.count(); i++)
						if (x >= l.start(i) && x < l.start(i) + l.tile) sum += l.weight(i, x + 0.5);
					assertTrue(sum > 0, "pixel " + x + " has no weight (size " + size + ", overlap " + overlap + ")");
				}
			}
	}

	@Test
	void pixelsNearAnInnerEdgeGetNoWeightFromThatTile() {
		TileLayout l = TileLayout.of(200, 64, 16);
		assertEquals(0.0, l.weight(1, l.start(1) + 3.5), "within overlap/4 of the left edge");
		assertEquals(1.0, l.weight(0, 0.5), "image border keeps weight 1");
	}

	@Test
	void tileMustExceedTwiceTheOverlap() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TileLayout.of(100, 32, 16));
		assertTrue(e.getMessage().contains("twice the overlap"), e.getMessage());
	}
}
