package org.promptsr.commands;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.promptsr.prompts.PromptExport;
import org.promptsr.testutil.BenchmarkFolders;
import org.promptsr.testutil.Fixtures;
import org.scijava.command.CommandModule;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class AnchorPromptCommandTest extends CommandTestBase {
	@TempDir
	Path tmp;

	private CommandModule run(Map<String, Object> inputs) throws Exception {
		return run(AnchorPromptCommand.class, inputs);
	}

	private Map<String, Object> inputs(Path folder) {
		Map<String, Object> in = new HashMap<>();
		in.put("source", AnchorPromptCommand.FOLDER_SOURCE);
		in.put("image_folder", folder.toFile());
		in.put("model", SuperResolutionCommand.FILE_CHOICE);
		in.put("model_file", Fixtures.path("promptsr-tiny-x2.pt").toFile());
		in.put("scale", 2);
		in.put("size", 16);
		in.put("fit", "resize");
		in.put("features", "pooled");
		in.put("perplexity", 30.0);
		in.put("iterations", 200);
		in.put("seed", 42L);
		in.put("output_folder", null);
		in.put("device", "cpu");
		return in;
	}

	private Path images() throws Exception {
		Path root = tmp.resolve("images");
		for (int i = 0; i < 3; i++) {
			BenchmarkFolders.write(BenchmarkFolders.smooth(30 + i, 24, 3, i), root.resolve("cats/c" + i + ".png"));
			BenchmarkFolders.write(BenchmarkFolders.smooth(20, 26 + i, 1, 10 + i), root.resolve("dogs/d" + i + ".png"));
		}
		return root;
	}

	@Test
	void aFolderGivesPlotsATableAndFiles() throws Exception {
		Map<String, Object> in = inputs(images());
		Path out = tmp.resolve("out");
		in.put("output_folder", out.toFile());
		CommandModule m = run(in);
		assertFalse(m.isCanceled(), String.valueOf(m.getCancelReason()));
		ResultsTable table = (ResultsTable) m.getOutput("table");
		assertEquals(6 * 4, table.size());
		assertEquals("cats/c0.png", table.getLabel(0));
		assertEquals("cats", table.getStringValue("Category", 0));
		assertEquals(4, (int) table.getValue("RG", 23));
		ImagePlus byRg = (ImagePlus) m.getOutput("by_rg");
		ImagePlus byCategory = (ImagePlus) m.getOutput("by_category");
		assertNotNull(byRg);
		assertTrue(byRg.getProperty("thePlot") instanceof ij.gui.Plot, "the by-RG image carries its plot");
		assertNotNull(byCategory);
		assertEquals(ImagePlus.COLOR_RGB, byCategory.getType());
		String summary = (String) m.getOutput("summary");
		assertTrue(summary.contains("all groups, labelled by RG") && summary.contains("6 images, 2 categories (cats 3, dogs 3)"), summary);
		for (String f : new String[] { PromptExport.CSV, PromptExport.FEATURES, PromptExport.FEATURES_JSON, PromptExport.BY_RG_PNG,
			PromptExport.BY_CATEGORY_PNG, PromptExport.SUMMARY })
			assertTrue(Files.isRegularFile(out.resolve(f)), f);
		// the tiny fixture has 24 channels: pooled vectors of 24 floats, 6 images x 4 groups
		assertEquals(6 * 4 * 24 * 4, Files.size(out.resolve(PromptExport.FEATURES)));
	}

	@Test
	void problemsCancelWithAMessage() throws Exception {
		Map<String, Object> in = inputs(tmp.resolve("missing"));
		in.put("image_folder", null);
		CommandModule m = run(in);
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("No image folder"), m.getCancelReason());

		Files.createDirectories(tmp.resolve("empty/cats"));
		m = run(inputs(tmp.resolve("empty")));
		assertTrue(m.getCancelReason().contains("no PNG or TIFF images"), m.getCancelReason());
		assertNull(m.getOutput("table"));

		in = inputs(images());
		in.put("fit", "crop");
		in.put("size", 16); // 30 x 24 at x2 is 15 x 12
		m = run(in);
		assertTrue(m.getCancelReason().contains("cats/c0.png") && m.getCancelReason().contains("smaller than the size 16"),
			m.getCancelReason());

		in = inputs(images());
		in.put("model_file", null);
		m = run(in);
		assertTrue(m.getCancelReason().contains("no model file"), m.getCancelReason());

		in = inputs(images());
		in.put("source", AnchorPromptCommand.OPEN_IMAGES_SOURCE);
		m = run(in);
		assertTrue(m.getCancelReason().contains("no images are open"), m.getCancelReason());
	}

	@Test
	void menuAndParameterNames() {
		Set<String> seen = assertMenuAndUniqueNames(AnchorPromptCommand.class, "Anchor Prompt t-SNE");
		assertTrue(seen.containsAll(java.util.Arrays.asList("source", "image_folder", "model", "model_file", "size", "fit",
			"features", "perplexity", "iterations", "seed", "output_folder")), seen.toString());
	}
}
