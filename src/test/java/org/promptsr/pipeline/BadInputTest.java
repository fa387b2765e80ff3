package org.promptsr.pipeline;

import ij.ImagePlus;
import ij.process.FloatProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.promptsr.engine.DeviceChoice;
import org.promptsr.engine.TorchScriptModel;
import org.promptsr.testutil.Fixtures;
import org.promptsr.progress.Progress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.*;

class BadInputTest {

	@Test
	void noImage() {
		assertMessage(() -> SuperResolution.validate(null, 2), "No image");
	}

	@Test
	void zeroSizeImage() {
		assertMessage(() -> SuperResolution.validate(new ImagePlus(), 2), "no pixels");
	}

	@Test
	void outputPlaneOverImageJLimit() {
		ImagePlus huge = new ImagePlus("huge", new FloatProcessor(4, 4)) {
			@Override
			public int getWidth() {
				return 20000;
			}

			@Override
			public int getHeight() {
				return 15000;
			}
		};
		assertMessage(() -> SuperResolution.validate(huge, 4), "2^31-1");
	}

	@Test
	void unsupportedScale() {
		ImagePlus imp = Fixtures.image(ImagePlus.GRAY8, 8, 8, 1, 1, 1, 1);
		assertMessage(() -> SuperResolution.validate(imp, 5), "Scale must be 2, 3 or 4");
	}

	@Test
	void nanPixelsAreRejectedAndTheInputIsUntouched() {
		ImagePlus imp = Fixtures.image(ImagePlus.GRAY32, 16, 16, 1, 1, 1, 2);
		((float[]) imp.getProcessor().getPixels())[5 * 16 + 7] = Float.NaN;
		Object[] before = Fixtures.snapshot(imp);
		SuperResolution sr = new SuperResolution(Fixtures.model("local-x2"), TileSettings.defaults());
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sr.upscale(imp, Progress.NONE));
		assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("x=7, y=5"), e.getMessage());
		assertTrue(Fixtures.unchanged(imp, before));
	}

	@Test
	void tamperedModelIsRejectedByItsChecksum(@TempDir Path dir) throws IOException {
		Path pt = dir.resolve("local-x2.pt");
		Files.copy(Fixtures.path("local-x2.pt"), pt);
		Files.copy(Fixtures.path("local-x2.json"), dir.resolve("local-x2.json"));
		Files.write(pt, new byte[] { 0 }, StandardOpenOption.APPEND);
		IOException e = assertThrows(IOException.class, () -> TorchScriptModel.load(pt, DeviceChoice.CPU));
		assertTrue(e.getMessage().contains("does not match its model card"), e.getMessage());
	}

	@Test
	void nonTorchScriptFileIsRejected(@TempDir Path dir) throws IOException {
		Path pt = dir.resolve("notes.pt");
		Files.write(pt, "this is not a model".getBytes());
		IOException e = assertThrows(IOException.class, () -> TorchScriptModel.load(pt, DeviceChoice.CPU));
		assertTrue(e.getMessage().contains("as a TorchScript model"), e.getMessage());
	}

	@Test
	void missingModelFileIsReported(@TempDir Path dir) {
		IOException e = assertThrows(IOException.class, () -> TorchScriptModel.load(dir.resolve("absent.pt"), DeviceChoice.CPU));
		assertTrue(e.getMessage().contains("not found"), e.getMessage());
	}

	@Test
	void tileNotLargerThanTwiceTheOverlap() {
		assertMessage(() -> new TileSettings(32, 16, 1), "twice the overlap");
	}

	private static void assertMessage(Runnable r, String fragment) {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
		assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
	}
}
