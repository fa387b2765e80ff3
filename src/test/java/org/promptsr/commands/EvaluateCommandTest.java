package org.promptsr.commands;

import ij.measure.ResultsTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.promptsr.testutil.BenchmarkFolders;
import org.promptsr.testutil.Fixtures;
import org.scijava.command.CommandModule;

import java.io.File;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class EvaluateCommandTest extends CommandTestBase {
	@TempDir
	Path tmp;

	private CommandModule run(Map<String, Object> inputs) throws Exception {
		return run(EvaluateCommand.class, inputs);
	}

	private Map<String, Object> inputs(Path hr, String model) {
		Map<String, Object> in = new HashMap<>();
		in.put("hr_folder", hr.toFile());
		in.put("scale", 2);
		in.put("model", model);
		in.put("gray", "replicate");
		in.put("device", "cpu");
		// as a recorded macro gives "model_file=[] sr_folder=[]": otherwise SciJava's FilePreprocessor asks for
		// the one unresolved File in a dialog (and cancels headless)
		in.put("model_file", null);
		in.put("sr_folder", null);
		return in;
	}

	private Path hrFolder() throws Exception {
		Path hr = tmp.resolve("hr");
		BenchmarkFolders.write(BenchmarkFolders.smooth(40, 36, 3, 1), hr.resolve("a.png"));
		BenchmarkFolders.write(BenchmarkFolders.smooth(38, 42, 1, 2), hr.resolve("b.png"));
		return hr;
	}

	@Test
	void modelFileGivesATableWithBicubicColumnsAndASummary() throws Exception {
		Map<String, Object> in = inputs(hrFolder(), EvaluateCommand.FILE_CHOICE);
		in.put("model_file", Fixtures.path("nearest-x2.pt").toFile());
		CommandModule m = run(in);
		assertFalse(m.isCanceled(), String.valueOf(m.getCancelReason()));
		ResultsTable table = (ResultsTable) m.getOutput("table");
		assertEquals(3, table.size());
		assertEquals("a.png", table.getLabel(0));
		assertEquals("mean", table.getLabel(2));
		assertTrue(table.columnExists("Bicubic PSNR"));
		assertTrue(table.getValue("PSNR", 2) < table.getValue("Bicubic PSNR", 2));
		String summary = (String) m.getOutput("summary");
		assertTrue(summary.contains("bicubic mean PSNR=") && summary.contains("\nmean PSNR="), summary);
	}

	@Test
	void srFolderModeScoresExistingImages() throws Exception {
		Path sr = tmp.resolve("sr");
		BenchmarkFolders.write(BenchmarkFolders.smooth(40, 36, 3, 1), sr.resolve("a_SRx2.png"));
		Map<String, Object> in = inputs(hrFolder(), EvaluateCommand.SR_FOLDER_CHOICE);
		in.put("sr_folder", sr.toFile());
		CommandModule m = run(in);
		assertFalse(m.isCanceled(), String.valueOf(m.getCancelReason()));
		ResultsTable table = (ResultsTable) m.getOutput("table");
		assertEquals(2, table.size());
		assertEquals("a_SRx2.png", table.getStringValue("SR file", 0));
		assertTrue(((String) m.getOutput("summary")).contains("no SR image for 1 HR image(s): b.png"));
	}

	@Test
	void problemsCancelWithAMessage() throws Exception {
		CommandModule m = run(inputs(tmp.resolve("missing"), EvaluateCommand.SR_FOLDER_CHOICE));
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("no SR folder"), m.getCancelReason());
		Map<String, Object> in = inputs(tmp.resolve("missing"), EvaluateCommand.SR_FOLDER_CHOICE);
		in.put("sr_folder", tmp.toFile());
		m = run(in);
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("HR folder not found"), m.getCancelReason());
		assertNull(m.getOutput("table"));
		m = run(inputs(hrFolder(), EvaluateCommand.FILE_CHOICE));
		assertTrue(m.getCancelReason().contains("no model file"), m.getCancelReason());
	}

	@Test
	void menuAndParameterNames() {
		Set<String> seen = assertMenuAndUniqueNames(EvaluateCommand.class, "Evaluate PSNR/SSIM");
		assertTrue(seen.containsAll(java.util.Arrays.asList("hr_folder", "scale", "model", "model_file", "sr_folder", "gray")));
	}
}
