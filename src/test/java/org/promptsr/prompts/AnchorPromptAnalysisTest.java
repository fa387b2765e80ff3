package org.promptsr.prompts;

import ij.IJ;
import ij.ImagePlus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.promptsr.engine.TorchScriptModel.Tensor;
import org.promptsr.testutil.BenchmarkFolders;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.*;

/** The pipeline with a stand-in model whose prompts are known, so the outcome is known too. */
class AnchorPromptAnalysisTest {
	@TempDir
	Path tmp;

	/**
	 * P of group g: anchors (h/8 * w/8) x 6 channels; each value is 10 g + the image's mean
	 * brightness + a little structure, so groups sit far apart and images differ within a group.
	 */
	static final PromptExtractor.PromptModel FAKE = (x, n, h, w) -> {
		double mean = 0;
		for (float v : x)
			mean += v / x.length;
		int anchors = (h / 8) * (w / 8);
		List<Tensor> out = new ArrayList<>();
		for (int g = 0; g < 4; g++) {
			float[] d = new float[anchors * 6];
			for (int a = 0; a < anchors; a++)
				for (int c = 0; c < 6; c++)
					d[a * 6 + c] = (float) (10 * g + 3 * mean + 0.1 * Math.sin(a + c + 7 * mean));
			out.add(new Tensor(new long[] { 1, anchors, 6 }, d));
		}
		return out;
	};

	static Path folder(Path root) throws Exception {
		// category "dark" in dark/HR/, "bright" directly in bright/
		for (int i = 0; i < 6; i++) {
			BenchmarkFolders.write(shifted(40 + i, 36, i, -60), root.resolve("dark/HR/d" + i + ".png"));
			BenchmarkFolders.write(shifted(36, 44 - i, 10 + i, 60), root.resolve("bright/b" + i + ".tif"));
		}
		return root;
	}

	private static org.promptsr.metrics.UInt8Image shifted(int w, int h, long seed, int offset) {
		org.promptsr.metrics.UInt8Image img = BenchmarkFolders.smooth(w, h, 3, seed);
		for (int c = 0; c < 3; c++)
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++)
					img.set(x, y, c, Math.max(0, Math.min(255, img.get(x, y, c) + offset)));
		return img;
	}

	private static AnchorPromptAnalysis.Settings settings() {
		AnchorPromptAnalysis.Settings s = new AnchorPromptAnalysis.Settings();
		s.size = 32;
		s.iterations = 300;
		return s;
	}

	@Test
	void foldersGiveCategoriesAndTheResultIsWrittenAsDocumented() throws Exception {
		List<PromptImages.Item> items = PromptImages.fromFolder(folder(tmp.resolve("in")));
		assertEquals(12, items.size());
		assertEquals("bright", items.get(0).category);
		assertEquals("bright/b0.tif", items.get(0).name);
		assertEquals("dark", items.get(6).category);
		assertEquals("dark/HR/d0.png", items.get(6).name);

		List<String> messages = new ArrayList<>();
		PromptResult r = new AnchorPromptAnalysis(FAKE, 2, settings()).modelName("fake").run(items, new AnchorPromptAnalysis.Listener() {
			@Override
			public void progress(String message, double fraction) {
				messages.add(message);
			}
		});
		assertTrue(messages.contains("image 1/12 bright/b0.tif"), messages.toString());
		assertEquals(4, r.groups());
		assertEquals(6, r.length(), "pooled: one value per channel");
		assertEquals(16, r.anchors, "32 x 32 input: (32 / 8)^2 anchors");
		assertEquals(6, r.channels);
		assertEquals(48, r.joint.map.length);
		assertEquals(11.0 / 3, r.perGroup[0].perplexity, 1e-12, "12 images: perplexity lowered to (12 - 1) / 3");
		assertEquals(47.0 / 3, r.joint.perplexity, 1e-12, "48 points: (48 - 1) / 3");
		System.out.print(r.summary());
		assertTrue(r.silhouettes.groupsInMap > 0.5, "groups far apart: " + r.silhouettes.groupsInMap);
		assertTrue(r.silhouettes.groupsInFeatures > 0.9, "groups far apart: " + r.silhouettes.groupsInFeatures);
		assertTrue(r.silhouettes.categoriesInGroupFeatures[0] > 0.5, "brightness separates the categories");
		assertTrue(r.summary().contains("all groups, labelled by RG"));

		Path out = tmp.resolve("out");
		PromptExport.writeAll(r, out);
		List<String> csv = Files.readAllLines(out.resolve(PromptExport.CSV));
		assertEquals("image,category,rg,tsne_x,tsne_y,rg_tsne_x,rg_tsne_y", csv.get(0));
		assertEquals(1 + 48, csv.size());
		assertTrue(csv.get(1).startsWith("bright/b0.tif,bright,1,"), csv.get(1));
		assertTrue(csv.get(48).startsWith("dark/HR/d5.png,dark,4,"), csv.get(48));
		String[] cells = csv.get(1).split(",");
		assertEquals(r.joint.map[0][0], Double.parseDouble(cells[3]), 1e-5 * Math.abs(r.joint.map[0][0]) + 1e-9);

		byte[] bin = Files.readAllBytes(out.resolve(PromptExport.FEATURES));
		assertEquals(12 * 4 * 6 * 4, bin.length);
		ByteBuffer b = ByteBuffer.wrap(bin).order(ByteOrder.LITTLE_ENDIAN);
		// image 7 (dark/HR/d1.png), group 3, value 2
		assertEquals(r.features[7][3][2], b.getFloat(4 * ((7 * 4 + 3) * 6 + 2)));
		String json = new String(Files.readAllBytes(out.resolve(PromptExport.FEATURES_JSON)), "UTF-8");
		assertTrue(json.replaceAll("\\s", "").contains("\"shape\":[12,4,6]"), json);
		assertTrue(json.contains("\"anchors\": 16") && json.contains("\"channels\": 6"), json);
		assertTrue(json.contains("\"features\": \"pooled\"") && json.contains("dark/HR/d0.png"), json);

		ImagePlus byRg = IJ.openImage(out.resolve(PromptExport.BY_RG_PNG).toString());
		ImagePlus byCategory = IJ.openImage(out.resolve(PromptExport.BY_CATEGORY_PNG).toString());
		assertNotNull(byRg);
		assertNotNull(byCategory);
		assertTrue(byCategory.getWidth() > byRg.getWidth() / 2 && byCategory.getWidth() >= 2 * 360, "2 x 2 tiles");
		assertTrue(Files.readAllLines(out.resolve(PromptExport.SUMMARY)).size() > 5);
	}

	@Test
	void flattenedVectorsAreAnchorsTimesChannels() throws Exception {
		List<PromptImages.Item> items = PromptImages.fromFolder(folder(tmp.resolve("in")));
		AnchorPromptAnalysis.Settings s = settings();
		s.features = PromptFeatures.Mode.FLATTENED;
		s.iterations = 50;
		PromptResult r = new AnchorPromptAnalysis(FAKE, 2, s).run(items, AnchorPromptAnalysis.Listener.NONE);
		assertEquals(16 * 6, r.length());
	}

	@Test
	void cancelStopsBetweenImages() throws Exception {
		List<PromptImages.Item> items = PromptImages.fromFolder(folder(tmp.resolve("in")));
		int[] calls = { 0 };
		PromptExtractor.PromptModel counting = (x, n, h, w) -> {
			calls[0]++;
			return FAKE.anchorPrompts(x, n, h, w);
		};
		assertThrows(CancellationException.class, () -> new AnchorPromptAnalysis(counting, 2, settings()).run(items,
			new AnchorPromptAnalysis.Listener() {
				@Override
				public boolean isCanceled() {
					return calls[0] >= 2;
				}
			}));
		assertEquals(2, calls[0]);
	}

	@Test
	void badInputGivesClearErrors() throws Exception {
		Files.createDirectories(tmp.resolve("empty/sub"));
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PromptImages.fromFolder(tmp.resolve("empty")));
		assertTrue(e.getMessage().contains("no PNG or TIFF images"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> PromptImages.fromFolder(tmp.resolve("missing")));
		assertTrue(e.getMessage().contains("not a folder"), e.getMessage());

		List<PromptImages.Item> items = PromptImages.fromFolder(folder(tmp.resolve("in")));
		AnchorPromptAnalysis.Settings s = settings();
		s.fit = PromptInput.Fit.CROP; // the 36 x 44 images give 18 x 22 at x2, smaller than 32
		e = assertThrows(IllegalArgumentException.class, () -> new AnchorPromptAnalysis(FAKE, 2, s).run(items,
			AnchorPromptAnalysis.Listener.NONE));
		assertTrue(e.getMessage().contains("bright/b0.tif") && e.getMessage().contains("smaller than the size 32"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> new AnchorPromptAnalysis(FAKE, 2, settings()).run(items.subList(0, 2),
			AnchorPromptAnalysis.Listener.NONE));
		assertTrue(e.getMessage().contains("at least 3 images"), e.getMessage());
		AnchorPromptAnalysis.Settings tooSmall = settings();
		tooSmall.size = 8;
		assertThrows(IllegalArgumentException.class, () -> new AnchorPromptAnalysis(FAKE, 2, tooSmall));
	}
}
