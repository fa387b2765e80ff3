package org.promptsr.cli;

import org.junit.jupiter.api.Test;
import org.promptsr.prompts.PromptExport;
import org.promptsr.testutil.BenchmarkFolders;
import org.promptsr.testutil.Fixtures;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PromptsCommandLineTest extends CommandLineTestBase {
	private Path images() throws Exception {
		Path root = tmp.resolve("train");
		for (int i = 0; i < 3; i++) {
			BenchmarkFolders.write(BenchmarkFolders.smooth(40, 34 + i, 3, i), root.resolve("T91/HR/t" + i + ".png"));
			BenchmarkFolders.write(BenchmarkFolders.smooth(36 + i, 40, 3, 20 + i), root.resolve("BSD200/HR/b" + i + ".png"));
		}
		return root;
	}

	@Test
	void writesTheFilesAndPrintsTheSilhouettes() throws Exception {
		Path o = tmp.resolve("out");
		int rc = run("prompts", "--model", Fixtures.path("promptsr-tiny-x2.pt").toString(), "--size", "32", "--iterations", "250",
			"--features", "flattened", images().toString(), "-o", o.toString());
		System.out.print(out);
		assertEquals(0, rc, err);
		assertTrue(out.contains("image 1/6 BSD200/HR/b0.png"), out);
		assertTrue(out.contains("all groups, labelled by RG"), out);
		assertTrue(out.contains("RG4 alone, labelled by category"), out);
		List<String> csv = Files.readAllLines(o.resolve(PromptExport.CSV));
		assertEquals(1 + 24, csv.size());
		assertTrue(csv.get(1).startsWith("BSD200/HR/b0.png,BSD200,1,"), csv.get(1));
		// flattened: (32 / 8)^2 = 16 anchors x 24 channels of the tiny fixture
		assertEquals(6 * 4 * 16 * 24 * 4, Files.size(o.resolve(PromptExport.FEATURES)));
		assertTrue(out.contains("wrote " + o.resolve(PromptExport.BY_CATEGORY_PNG)), out);
	}

	@Test
	void badArgumentsExitWithTwo() throws Exception {
		assertEquals(2, run("prompts", images().toString()));
		assertTrue(err.contains("-o OUT"), err);
		assertEquals(2, run("prompts", "-o", tmp.resolve("x").toString()));
		assertTrue(err.contains("image folder"), err);
		assertEquals(2, run("prompts", "--features", "max", images().toString(), "-o", tmp.resolve("x").toString()));
		assertTrue(err.contains("pooled or flattened"), err);
		assertEquals(2, run("prompts", "--size", "4", images().toString(), "-o", tmp.resolve("x").toString()));
		assertEquals(2, run("prompts", tmp.resolve("nothing").toString(), "-o", tmp.resolve("x").toString()));
		assertTrue(err.contains("not a folder"), err);
		assertEquals(0, run("prompts", "--help"));
		assertTrue(out.contains("usage: promptsr prompts"), out);
		assertEquals(0, run("--help"));
		assertTrue(out.contains("prompts anchor prompts"), out);
	}
}
