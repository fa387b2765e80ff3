package org.promptsr.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import ij.process.ShortProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.promptsr.pipeline.TileSettings;
import org.promptsr.testutil.BenchmarkFolders;
import org.promptsr.testutil.Fixtures;

class BenchmarkEvaluationTest {

	@TempDir
	Path tmp;

	/** Set5 x2 with SR = bicubic upscaling of our own MATLAB-exact LR, written under every naming variant. */
	@Test
	void folderModeOnSet5BicubicGivesThePublishedNumbers() throws IOException {
		TestData.assumeSet("Set5");
		Path hrDir = TestData.root().resolve("val/Set5/HR");
		String[] patterns = { "%s.png", "%s_x2.png", "%sx2.png", "%s_SRx2.png", "%s-x2.tif" };
		List<String> names = TestData.names("Set5");
		Path srDir = tmp.resolve("sr");
		for (int i = 0; i < names.size(); i++) {
			UInt8Image hr = MatlabBicubic.modcrop(TestData.hr("Set5", names.get(i)), 2);
			UInt8Image sr = MatlabBicubic.resize(MatlabBicubic.downscale(hr, 2), 2);
			BenchmarkFolders.write(sr, srDir.resolve(String.format(Locale.ROOT, patterns[i % patterns.length], names.get(i))));
		}
		Files.write(srDir.resolve("notes.txt"), "not an image".getBytes());
		List<BenchmarkEvaluation.Row> streamed = new ArrayList<>();
		BenchmarkEvaluation.Result r = new BenchmarkEvaluation(hrDir, 2, null).listener(new BenchmarkEvaluation.Listener() {
			@Override
			public void scored(BenchmarkEvaluation.Row row) {
				streamed.add(row);
			}
		}).evaluateFolder(srDir);
		System.out.println("folder mode, Set5 x2 bicubic: " + r.meanLine());
		assertEquals(names.size(), r.rows().size());
		assertEquals(r.rows(), streamed);
		assertTrue(r.unmatched().isEmpty(), r.unmatched().toString());
		assertEquals(33.6734, r.mean().psnr(), 1e-3);
		assertEquals(0.9303, r.mean().ssim(), 1e-3);
		assertNull(r.bicubicMean());
		assertEquals("image,psnr,ssim", r.toCsv().split("\n")[0]);
		assertEquals(names.size() + 1, r.toCsv().split("\n").length);
		ResultsTable table = r.toResultsTable();
		assertEquals(names.size() + 1, table.size());
		assertEquals("mean", table.getLabel(names.size()));
		assertEquals(r.mean().psnr(), table.getValue("PSNR", names.size()), 1e-12);
	}

	/** Model mode with the nearest-neighbour fixture on two Set5 images. */
	@Test
	void modelModeScoresTheModelBesideBicubic() throws IOException {
		TestData.assumeSet("Set5");
		Path hrDir = tmp.resolve("hr");
		Files.createDirectories(hrDir);
		for (String name : Arrays.asList("butterfly", "head"))
			Files.copy(TestData.root().resolve("val/Set5/HR/" + name + ".png"), hrDir.resolve(name + ".png"));
		List<Double> fractions = new ArrayList<>();
		BenchmarkEvaluation.Result r = new BenchmarkEvaluation(hrDir, 2, GrayConvention.REPLICATE)
			.listener(new BenchmarkEvaluation.Listener() {
				@Override
				public void progress(String message, double fraction) {
					fractions.add(fraction);
				}
			}).evaluateModel(Fixtures.model("nearest-x2"), TileSettings.defaults());
		System.out.println("model mode, nearest-x2 on butterfly+head: " + r.meanLine() + " / " + r.bicubicMeanLine());
		assertEquals(BenchmarkEvaluation.Mode.MODEL, r.mode());
		assertEquals(2, r.rows().size());
		for (BenchmarkEvaluation.Row row : r.rows()) {
			UInt8Image hr = MatlabBicubic.modcrop(UInt8Image.open(hrDir.resolve(row.image())), 2);
			ImageQuality.Score bicubic = ImageQuality.score(MatlabBicubic.resize(MatlabBicubic.downscale(hr, 2), 2), hr, 2);
			assertEquals(bicubic.psnr(), row.bicubic().psnr(), 0.0, row.image());
			assertEquals(bicubic.ssim(), row.bicubic().ssim(), 0.0, row.image());
			assertTrue(row.score().psnr() < row.bicubic().psnr(), row.line());
			assertTrue(row.score().psnr() > 15, row.line());
		}
		assertTrue(r.mean().psnr() < r.bicubicMean().psnr());
		assertEquals("image,psnr,ssim,bicubic_psnr,bicubic_ssim", r.toCsv().split("\n")[0]);
		assertEquals(1.0, fractions.get(fractions.size() - 1), 0.0);
		for (int i = 1; i < fractions.size(); i++)
			assertTrue(fractions.get(i) >= fractions.get(i - 1), fractions.toString());
	}

	/** A gray HR goes through the model as three equal channels; both conventions run. */
	@Test
	void grayImagesInModelMode() throws IOException {
		Path hrDir = tmp.resolve("hr");
		BenchmarkFolders.write(BenchmarkFolders.smooth(41, 37, 1, 5), hrDir.resolve("gray.png"));
		for (GrayConvention c : GrayConvention.values()) {
			BenchmarkEvaluation.Result r = new BenchmarkEvaluation(hrDir, 2, c).evaluateModel(Fixtures.model("nearest-x2"), null);
			assertEquals(1, r.rows().size());
			assertTrue(r.mean().psnr() < r.bicubicMean().psnr(), c + " " + r.rows().get(0).line());
		}
	}

	@Test
	void unmatchedHrImagesAreListedAndOthersScored() throws IOException {
		Path hr = tmp.resolve("hr");
		Path sr = tmp.resolve("sr");
		for (String n : Arrays.asList("a", "b", "c"))
			BenchmarkFolders.write(BenchmarkFolders.smooth(40, 36, 3, n.charAt(0)), hr.resolve(n + ".png"));
		BenchmarkFolders.write(BenchmarkFolders.smooth(40, 36, 3, 'a'), sr.resolve("A_X2.PNG"));
		BenchmarkFolders.write(BenchmarkFolders.smooth(40, 36, 3, 99), sr.resolve("b.tiff"));
		BenchmarkFolders.write(BenchmarkFolders.smooth(40, 36, 3, 'c'), sr.resolve("c_x3.png")); // other scale
		Files.write(hr.resolve("README.md"), "x".getBytes());
		Files.write(hr.resolve(".hidden.png"), "x".getBytes());
		BenchmarkEvaluation.Result r = new BenchmarkEvaluation(hr, 2, null).evaluateFolder(sr);
		assertEquals(Arrays.asList("c.png"), r.unmatched());
		assertEquals(2, r.rows().size());
		assertEquals("A_X2.PNG", r.rows().get(0).srImage());
		assertEquals(Double.POSITIVE_INFINITY, r.rows().get(0).score().psnr());
		assertTrue(r.summary().contains("no SR image for 1 HR image(s): c.png"), r.summary());
		assertTrue(r.unmatchedLine().contains("c.png"));

		Path none = tmp.resolve("none");
		BenchmarkFolders.write(BenchmarkFolders.smooth(40, 36, 3, 1), none.resolve("zzz.png"));
		assertMessage(() -> new BenchmarkEvaluation(hr, 2, null).evaluateFolder(none), "None of the 3 HR images",
			"a_x2.png", "zzz.png");
	}

	@Test
	void twoMatchesForOneImageIsAnError() throws IOException {
		Path hr = tmp.resolve("hr");
		Path sr = tmp.resolve("sr");
		BenchmarkFolders.write(BenchmarkFolders.smooth(40, 36, 3, 1), hr.resolve("a.png"));
		BenchmarkFolders.write(BenchmarkFolders.smooth(40, 36, 3, 1), sr.resolve("a.png"));
		BenchmarkFolders.write(BenchmarkFolders.smooth(40, 36, 3, 1), sr.resolve("a_x2.png"));
		assertMessage(() -> new BenchmarkEvaluation(hr, 2, null).evaluateFolder(sr), "a.png, a_x2.png", "Keep only one");
	}

	@Test
	void sizeMismatchNamesTheFilesAndSizes() throws IOException {
		Path hr = tmp.resolve("hr");
		Path sr = tmp.resolve("sr");
		BenchmarkFolders.write(BenchmarkFolders.smooth(41, 37, 3, 1), hr.resolve("a.png"));
		BenchmarkFolders.write(BenchmarkFolders.smooth(40, 35, 3, 1), sr.resolve("a_x2.png"));
		assertMessage(() -> new BenchmarkEvaluation(hr, 2, null).evaluateFolder(sr), "Size mismatch", "a_x2.png",
			"40 x 35", "40 x 36", "modcrop");
		BenchmarkFolders.write(BenchmarkFolders.smooth(20, 18, 3, 1), sr.resolve("a_x2.png"));
		assertMessage(() -> new BenchmarkEvaluation(hr, 2, null).evaluateFolder(sr), "Size mismatch", "LR image");
	}

	@Test
	void sixteenBitPngIsRejected() throws IOException {
		Path hr = tmp.resolve("hr");
		Path sr = tmp.resolve("sr");
		BenchmarkFolders.write(BenchmarkFolders.smooth(40, 36, 3, 1), hr.resolve("a.png"));
		BenchmarkFolders.write(new ImagePlus("16", new ShortProcessor(40, 36)), sr.resolve("a.png"));
		assertMessage(() -> new BenchmarkEvaluation(hr, 2, null).evaluateFolder(sr), "16-bit PNG", "a.png",
			"convert to 8-bit");
	}

	@Test
	void unreadablePngIsAnErrorNamingIt() throws IOException {
		Path hr = tmp.resolve("hr");
		Files.createDirectories(hr);
		Files.write(hr.resolve("broken.png"), "not a png at all, just text".getBytes());
		assertMessage(() -> new BenchmarkEvaluation(hr, 2, null).evaluateModel(Fixtures.model("nearest-x2"), null),
			"broken.png", "not a readable PNG");
	}

	@Test
	void missingAndEmptyFolders() throws IOException {
		assertMessage(() -> new BenchmarkEvaluation(tmp.resolve("nope"), 2, null).evaluateFolder(tmp),
			"HR folder not found", "nope");
		Path empty = Files.createDirectories(tmp.resolve("empty"));
		Files.write(empty.resolve("list.txt"), "x".getBytes());
		assertMessage(() -> new BenchmarkEvaluation(empty, 2, null).evaluateModel(Fixtures.model("nearest-x2"), null),
			"No PNG or TIFF images", "empty");
		Path hr = tmp.resolve("hr");
		BenchmarkFolders.write(BenchmarkFolders.smooth(40, 36, 3, 1), hr.resolve("a.png"));
		assertMessage(() -> new BenchmarkEvaluation(hr, 2, null).evaluateFolder(tmp.resolve("nosr")),
			"SR folder not found", "nosr");
		assertMessage(() -> new BenchmarkEvaluation(hr, 2, null).evaluateFolder(hr), "SR folder is the HR folder");
		assertMessage(() -> new BenchmarkEvaluation(hr, 3, null).evaluateModel(Fixtures.model("nearest-x2"), null),
			"upscales x2, not x3");
	}

	@Test
	void cancelStopsBeforeTheNextImage() throws IOException {
		Path hr = tmp.resolve("hr");
		BenchmarkFolders.write(BenchmarkFolders.smooth(40, 36, 3, 1), hr.resolve("a.png"));
		assertThrows(CancellationException.class, () -> new BenchmarkEvaluation(hr, 2, null)
			.listener(new BenchmarkEvaluation.Listener() {
				@Override
				public boolean isCanceled() {
					return true;
				}
			}).evaluateModel(Fixtures.model("nearest-x2"), null));
	}

	@Test
	void namingRule() {
		List<String> names = BenchmarkEvaluation.srNamesFor("baby.png", 3);
		assertEquals(15, names.size());
		for (String n : Arrays.asList("baby.png", "baby_x3.png", "babyx3.png", "baby_SRx3.png", "baby-x3.png", "baby.tif",
			"baby_x3.tiff"))
			assertTrue(names.contains(n), n);
		assertFalse(names.contains("baby_x2.png"));
	}

	private static void assertMessage(Executable e, String... parts) {
		IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
		for (String p : parts)
			assertTrue(ex.getMessage().contains(p), "'" + p + "' not in: " + ex.getMessage());
	}
}
