package org.promptsr.cli;

import org.junit.jupiter.api.Test;
import org.promptsr.metrics.UInt8Image;
import org.promptsr.testutil.BenchmarkFolders;
import org.promptsr.testutil.Fixtures;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class EvalCommandLineTest extends CommandLineTestBase {
	private Path hrFolder() throws Exception {
		Path hr = tmp.resolve("hr");
		BenchmarkFolders.write(BenchmarkFolders.smooth(48, 40, 3, 1), hr.resolve("one.png"));
		BenchmarkFolders.write(BenchmarkFolders.smooth(41, 45, 1, 2), hr.resolve("two.png"));
		return hr;
	}

	@Test
	void modelModePrintsEveryImageAndTheMeans() throws Exception {
		Path hr = hrFolder();
		Path csv = tmp.resolve("out/table.csv");
		int rc = run("eval", "--hr", hr.toString(), "--scale", "2", "--model", Fixtures.path("nearest-x2.pt").toString(),
			"--device", "cpu", "--csv", csv.toString());
		System.out.print(out);
		assertEquals(0, rc, err);
		assertTrue(out.contains("one.png  PSNR="), out);
		assertTrue(out.contains("two.png  PSNR="), out);
		assertTrue(out.contains("bicubic mean PSNR="), out);
		String[] lines = out.trim().split("\n");
		assertTrue(lines[lines.length - 1].matches("mean PSNR=\\d+\\.\\d{4} SSIM=\\d\\.\\d{4}"), lines[lines.length - 1]);
		List<String> table = Files.readAllLines(csv);
		assertEquals("image,psnr,ssim,bicubic_psnr,bicubic_ssim", table.get(0));
		assertEquals(3, table.size());
		assertTrue(table.get(1).startsWith("one.png,"), table.get(1));
	}

	@Test
	void folderModeListsUnmatchedImages() throws Exception {
		Path hr = hrFolder();
		Path sr = tmp.resolve("sr");
		UInt8Image one = BenchmarkFolders.smooth(48, 40, 3, 7);
		BenchmarkFolders.write(one, sr.resolve("one_x2.png"));
		Path csv = tmp.resolve("folder.csv");
		int rc = run("eval", "--hr", hr.toString(), "--scale", "2", "--sr", sr.toString(), "--gray", "gray", "--csv", csv.toString());
		assertEquals(0, rc, err);
		assertTrue(out.contains("one.png <- one_x2.png  PSNR="), out);
		assertTrue(out.contains("no SR image for 1 HR image(s): two.png"), out);
		assertFalse(out.contains("bicubic"), out);
		String[] lines = out.trim().split("\n");
		assertTrue(lines[lines.length - 1].startsWith("mean PSNR="), out);
		assertEquals("image,psnr,ssim", Files.readAllLines(csv).get(0));
	}

	@Test
	void errorsGoToStderrWithExitCode2() throws Exception {
		assertEquals(2, run("eval", "--hr", tmp.resolve("missing").toString(), "--scale", "2", "--sr", tmp.toString()));
		assertTrue(err.contains("promptsr eval: HR folder not found"), err);
		assertEquals(2, run("eval", "--hr", tmp.toString(), "--scale", "2", "--gray", "weird", "--sr", tmp.toString()));
		assertTrue(err.contains("--gray must be replicate or gray"), err);
		assertEquals(0, run("eval", "--help"));
		assertTrue(out.contains("usage: promptsr eval"), out);
		assertEquals(0, run("--help"));
		assertTrue(out.contains("eval"), out);
	}
}
