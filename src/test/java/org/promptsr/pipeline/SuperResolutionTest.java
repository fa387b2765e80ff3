package org.promptsr.pipeline;

import ij.ImagePlus;
import ij.measure.Calibration;
import org.junit.jupiter.api.Test;
import org.promptsr.engine.SuperResolutionModel;
import org.promptsr.testutil.Fixtures;
import org.promptsr.progress.Progress;

import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

class SuperResolutionTest {

	private static final TileSettings SMALL_TILES = new TileSettings(24, 8, 1);

	@Test
	void tiledEqualsWholeImageForALocalModel() {
		for (int s : new int[] { 2, 3, 4 }) {
			SuperResolutionModel model = Fixtures.model("local-x" + s);
			ImagePlus imp = Fixtures.image(ImagePlus.GRAY32, 61, 47, 1, 1, 1, s);
			float[] whole = (float[]) new SuperResolution(model, new TileSettings(128, 0, 1)).upscale(imp, Progress.NONE)
				.getProcessor().getPixels();
			float[] tiled = (float[]) new SuperResolution(model, SMALL_TILES).upscale(imp, Progress.NONE)
				.getProcessor().getPixels();
			assertArrayEquals(whole, tiled, "x" + s + ": tiled and whole-image results differ");
		}
	}

	@Test
	void tiledEqualsWholeImageWithBatchedTiles() {
		SuperResolutionModel model = Fixtures.model("local-x2");
		ImagePlus imp = Fixtures.image(ImagePlus.COLOR_RGB, 70, 33, 1, 1, 1, 9);
		int[] whole = (int[]) new SuperResolution(model, new TileSettings(128, 0, 1)).upscale(imp, Progress.NONE)
			.getProcessor().getPixels();
		int[] tiled = (int[]) new SuperResolution(model, new TileSettings(24, 8, 3)).upscale(imp, Progress.NONE)
			.getProcessor().getPixels();
		assertArrayEquals(whole, tiled);
	}

	@Test
	void everyBitDepthRoundTripsThroughNearestUpscaling() {
		SuperResolutionModel nearest = Fixtures.model("nearest-x3");
		for (int type : new int[] { ImagePlus.GRAY8, ImagePlus.GRAY16, ImagePlus.GRAY32, ImagePlus.COLOR_RGB }) {
			ImagePlus imp = Fixtures.image(type, 29, 19, 1, 1, 1, type);
			ImagePlus out = new SuperResolution(nearest, SMALL_TILES).upscale(imp, Progress.NONE);
			assertEquals(type, out.getType());
			assertEquals(87, out.getWidth());
			assertEquals(57, out.getHeight());
			for (int y = 0; y < 57; y++)
				for (int x = 0; x < 87; x++) {
					double expected = value(imp, 1, x / 3, y / 3), actual = value(out, 1, x, y);
					double tolerance = type == ImagePlus.GRAY32 ? 1e-4 * Math.max(1, Math.abs(expected)) : 0;
					assertEquals(expected, actual, tolerance, "type " + type + " at " + x + "," + y);
				}
		}
	}

	@Test
	void hyperstackPlanesStayInOrderAndCalibrationScales() {
		ImagePlus imp = Fixtures.image(ImagePlus.GRAY16, 20, 14, 2, 3, 2, 5);
		Calibration cal = imp.getCalibration();
		cal.pixelWidth = 0.5;
		cal.pixelHeight = 0.25;
		cal.pixelDepth = 2;
		cal.setUnit("mm");
		cal.xOrigin = 3;
		Object[] before = Fixtures.snapshot(imp);
		ImagePlus out = new SuperResolution(Fixtures.model("nearest-x2"), SMALL_TILES).upscale(imp, Progress.NONE);
		assertTrue(Fixtures.unchanged(imp, before), "input modified");
		assertArrayEquals(new int[] { 40, 28, 2, 3, 2 }, out.getDimensions());
		assertTrue(out.isHyperStack());
		assertEquals(0.25, out.getCalibration().pixelWidth, 1e-12);
		assertEquals(0.125, out.getCalibration().pixelHeight, 1e-12);
		assertEquals(2, out.getCalibration().pixelDepth, 1e-12);
		assertEquals(6, out.getCalibration().xOrigin, 1e-12);
		assertEquals("mm", out.getCalibration().getUnit());
		for (int c = 1; c <= 2; c++)
			for (int z = 1; z <= 3; z++)
				for (int t = 1; t <= 2; t++) {
					int iin = imp.getStackIndex(c, z, t), iout = out.getStackIndex(c, z, t);
					for (int y = 0; y < 28; y += 3)
						for (int x = 0; x < 40; x += 3)
							assertEquals(value(imp, iin, x / 2, y / 2), value(out, iout, x, y), "c" + c + " z" + z + " t" + t);
				}
	}

	@Test
	void cancelMidRunThrowsAndReturnsNothing() {
		ImagePlus imp = Fixtures.image(ImagePlus.GRAY8, 100, 100, 1, 2, 1, 3);
		int[] calls = { 0 };
		Progress cancelAfterTwo = new Progress() {
			@Override
			public void stepDone(int done, int total) {
				calls[0] = done;
			}

			@Override
			public boolean isCanceled() {
				return calls[0] >= 2;
			}
		};
		SuperResolution sr = new SuperResolution(Fixtures.model("local-x2"), SMALL_TILES);
		assertTrue(sr.totalTiles(imp) > 4);
		assertThrows(CancellationException.class, () -> sr.upscale(imp, cancelAfterTwo));
		assertEquals(2, calls[0], "stopped within one tile of the cancel");
	}

	@Test
	void twoRunsInParallelGiveIdenticalResults() throws Exception {
		ImagePlus imp = Fixtures.image(ImagePlus.COLOR_RGB, 90, 64, 1, 1, 1, 11);
		SuperResolution sr = new SuperResolution(Fixtures.model("local-x4"), SMALL_TILES);
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			Future<ImagePlus> a = pool.submit(() -> sr.upscale(imp, Progress.NONE));
			Future<ImagePlus> b = pool.submit(() -> sr.upscale(imp, Progress.NONE));
			assertArrayEquals((int[]) a.get().getProcessor().getPixels(), (int[]) b.get().getProcessor().getPixels());
		}
		finally {
			pool.shutdown();
		}
	}

	@Test
	void titleIsDerivedFromTheInput() {
		assertEquals("cells-x4.tif", SuperResolution.titleFor("cells.tif", 4));
		assertEquals("stack-x2", SuperResolution.titleFor("stack", 2));
	}

	private static double value(ImagePlus imp, int stackIndex, int x, int y) {
		Object px = imp.getStack().getPixels(stackIndex);
		int i = y * imp.getWidth() + x;
		if (px instanceof byte[]) return ((byte[]) px)[i] & 0xff;
		if (px instanceof short[]) return ((short[]) px)[i] & 0xffff;
		if (px instanceof float[]) return ((float[]) px)[i];
		int rgb = ((int[]) px)[i];
		return rgb & 0xffffff;
	}
}
