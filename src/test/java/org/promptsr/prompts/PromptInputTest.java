package org.promptsr.prompts;

import ij.ImagePlus;
import ij.process.ShortProcessor;
import org.junit.jupiter.api.Test;
import org.promptsr.metrics.MatlabBicubic;
import org.promptsr.metrics.UInt8Image;
import org.promptsr.testutil.BenchmarkFolders;

import static org.junit.jupiter.api.Assertions.*;

class PromptInputTest {

	@Test
	void resizeTakesTheCentredSquareAndGivesExactlyTheSize() {
		// 60 x 40: the centred square is x 10..49; paint the columns outside it white
		UInt8Image img = BenchmarkFolders.smooth(60, 40, 3, 1);
		for (int c = 0; c < 3; c++)
			for (int y = 0; y < 40; y++)
				for (int x = 0; x < 60; x++)
					if (x < 10 || x >= 50) img.set(x, y, c, 255);
		UInt8Image same = PromptInput.fit(img, 40, PromptInput.Fit.RESIZE, 2, "a");
		assertArrayEquals(img.crop(10, 0, 40, 40).data(), same.data(), "side == size: the square itself");
		for (int size : new int[] { 16, 27, 33, 64 }) {
			UInt8Image lr = PromptInput.fit(img, size, PromptInput.Fit.RESIZE, 2, "a");
			assertEquals(size, lr.width());
			assertEquals(size, lr.height());
			assertArrayEquals(MatlabBicubic.resize(img.crop(10, 0, 40, 40), size / 40.0).data(), lr.data());
		}
		// 321 x 481 (a BSD200 shape) at 64: 321 * (64 / 321.0) rounds above 64 in floating point
		UInt8Image bsd = BenchmarkFolders.smooth(321, 481, 3, 2);
		UInt8Image lr = PromptInput.fit(bsd, 64, PromptInput.Fit.RESIZE, 2, "b");
		assertEquals(64, lr.width());
		assertEquals(64, lr.height());
	}

	@Test
	void cropDownscalesByTheModelScaleThenCropsTheCentre() {
		UInt8Image img = BenchmarkFolders.smooth(71, 50, 1, 3);
		UInt8Image lr = PromptInput.fit(img, 16, PromptInput.Fit.CROP, 2, "c");
		UInt8Image full = MatlabBicubic.downscale(MatlabBicubic.modcrop(img, 2), 2); // 35 x 25
		assertArrayEquals(full.crop(9, 4, 16, 16).data(), lr.data());
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
			() -> PromptInput.fit(img, 32, PromptInput.Fit.CROP, 2, "small.png"));
		assertTrue(e.getMessage().contains("small.png") && e.getMessage().contains("35 x 25"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> PromptInput.fit(img, 8, PromptInput.Fit.RESIZE, 2, "c"));
	}

	@Test
	void grayIsReplicatedAndDeepImagesGoThroughTheirDisplayRange() {
		UInt8Image gray = new UInt8Image(2, 1, 1, new byte[] { 0, (byte) 255 });
		assertArrayEquals(new float[] { 0, 1, 0, 1, 0, 1 }, PromptInput.toNchw(gray));
		ShortProcessor sp = new ShortProcessor(2, 1, new short[] { 1000, 3000 }, null);
		sp.setMinAndMax(1000, 3000);
		UInt8Image u = PromptInput.toUInt8(new ImagePlus("16-bit", sp));
		assertEquals(1, u.channels());
		assertEquals(0, u.get(0, 0, 0));
		assertEquals(255, u.get(1, 0, 0));
		assertEquals(PromptInput.Fit.CROP, PromptInput.Fit.parse(" Crop "));
		assertThrows(IllegalArgumentException.class, () -> PromptInput.Fit.parse("stretch"));
	}
}
