package org.promptsr.commands;

import ij.IJ;
import ij.ImagePlus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.promptsr.testutil.BenchmarkFolders;
import org.promptsr.testutil.Fixtures;
import org.promptsr.testutil.LegacyBridge;
import org.scijava.Context;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * scripts/macros/batch_upscale.ijm run by ImageJ 1's macro interpreter, headless, with {@link LegacyBridge}
 * in place of Fiji's legacy layer and the shipped x2 model.
 */
class BatchMacroTest {

	@Test
	void batchMacroUpscalesEveryTiffAndPngOfAFolder(@TempDir Path tmp) throws Exception {
		System.setProperty("java.awt.headless", "true");
		Path in = tmp.resolve("in images");
		Path out = tmp.resolve("out");
		BenchmarkFolders.write(Fixtures.image(ImagePlus.GRAY8, 16, 12, 1, 1, 1, 3), in.resolve("a.png"));
		BenchmarkFolders.write(Fixtures.image(ImagePlus.COLOR_RGB, 12, 10, 1, 1, 1, 4), in.resolve("b.tif"));
		Files.write(in.resolve("notes.txt"), "not an image".getBytes());
		Context context = new Context();
		try {
			LegacyBridge.install(context, "Super-Resolution", SuperResolutionCommand.class);
			String returned = IJ.runMacroFile(Paths.get("scripts/macros/batch_upscale.ijm").toAbsolutePath().toString(),
				"input=[" + in + "] output=[" + out + "] scale=2 tile=32 overlap=8 device=cpu");
			assertNotEquals("[aborted]", returned);
		}
		finally {
			context.dispose();
		}
		List<String> written;
		try (Stream<Path> s = Files.list(out)) {
			written = s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
		}
		assertEquals(Arrays.asList("a-x2.tif", "b-x2.tif"), written);
		ImagePlus a = IJ.openImage(out.resolve("a-x2.tif").toString());
		assertEquals(32, a.getWidth());
		assertEquals(24, a.getHeight());
		assertEquals(8, a.getBitDepth());
		ImagePlus b = IJ.openImage(out.resolve("b-x2.tif").toString());
		assertEquals(24, b.getWidth());
		assertEquals(20, b.getHeight());
		assertEquals(24, b.getBitDepth());
	}
}
