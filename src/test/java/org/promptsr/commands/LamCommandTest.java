package org.promptsr.commands;

import ij.ImagePlus;
import ij.measure.Calibration;
import ij.measure.ResultsTable;
import org.junit.jupiter.api.Test;
import org.promptsr.testutil.Fixtures;
import org.scijava.command.CommandModule;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The LAM command through SciJava with macro-style string options, on the small window-attention fixture. */
class LamCommandTest extends CommandTestBase {
	private CommandModule run(ImagePlus image, String options) throws Exception {
		Map<String, Object> inputs = new HashMap<>();
		inputs.put("image", image);
		for (String pair : options.split(" ")) {
			int eq = pair.indexOf('=');
			inputs.put(pair.substring(0, eq), pair.substring(eq + 1));
		}
		return run(LamCommand.class, inputs);
	}

	@Test
	void givesMapOverlaySrAndTable() throws Exception {
		ImagePlus imp = Fixtures.image(ImagePlus.GRAY16, 24, 20, 1, 1, 1, 5);
		Calibration cal = imp.getCalibration();
		cal.pixelWidth = 0.2;
		cal.pixelHeight = 0.2;
		cal.setUnit("um");
		Object[] before = Fixtures.snapshot(imp);
		CommandModule m = run(imp, "scale=2 model=File model_file=" + Fixtures.path("wsa-tiny-x2.pt") +
			" x=16 y=12 window=8 sigma=1.2 steps=4 kernel=5 alpha=0.5");
		assertFalse(m.isCanceled(), String.valueOf(m.getCancelReason()));
		ImagePlus map = (ImagePlus) m.getOutput("map");
		assertEquals(ImagePlus.GRAY32, map.getType());
		assertEquals(24, map.getWidth());
		assertEquals(20, map.getHeight());
		float max = 0;
		for (float v : (float[]) map.getProcessor().getPixels()) max = Math.max(max, v);
		assertEquals(1f, max, 0f);
		assertEquals(0.2, map.getCalibration().pixelWidth, 1e-12);
		ImagePlus overlay = (ImagePlus) m.getOutput("overlay");
		assertEquals(ImagePlus.COLOR_RGB, overlay.getType());
		assertEquals(48, overlay.getWidth());
		assertEquals(40, overlay.getHeight());
		assertEquals(0.1, overlay.getCalibration().pixelWidth, 1e-12);
		assertEquals(0xff0000, overlay.getProcessor().getPixel(16, 12) & 0xffffff, "window outline");
		ImagePlus sr = (ImagePlus) m.getOutput("sr");
		assertEquals(48, sr.getWidth());
		assertEquals(8, sr.getRoi().getBounds().width);
		ResultsTable table = (ResultsTable) m.getOutput("table");
		assertEquals(1, table.size());
		double di = table.getValue("DI", 0);
		assertTrue(di > 0 && di < 100, "DI " + di);
		assertTrue(Fixtures.unchanged(imp, before));
	}

	@Test
	void windowOutsideTheResultCancelsWithAMessage() throws Exception {
		ImagePlus imp = Fixtures.image(ImagePlus.GRAY8, 16, 16, 1, 1, 1, 6);
		Object[] before = Fixtures.snapshot(imp);
		CommandModule m = run(imp, "scale=2 model=File model_file=" + Fixtures.path("wsa-tiny-x2.pt") + " x=28 y=0 window=16");
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("does not fit in the 32x32 SR image"), m.getCancelReason());
		assertNull(m.getOutput("map"));
		assertNull(m.getOutput("table"));
		assertTrue(Fixtures.unchanged(imp, before));
	}

	@Test
	void missingWindowNamesBothWaysToGiveIt() throws Exception {
		ImagePlus imp = Fixtures.image(ImagePlus.COLOR_RGB, 16, 16, 1, 1, 1, 7);
		CommandModule m = run(imp, "scale=2 model=File model_file=" + Fixtures.path("wsa-tiny-x2.pt") + " x=-1 y=-1");
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("give x and y"), m.getCancelReason());
		assertTrue(m.getCancelReason().contains("draw a rectangle on an open 32x32 image"), m.getCancelReason());
	}

	@Test
	void evenKernelIsRefused() throws Exception {
		ImagePlus imp = Fixtures.image(ImagePlus.GRAY8, 16, 16, 1, 1, 1, 8);
		CommandModule m = run(imp, "scale=2 model=File model_file=" + Fixtures.path("wsa-tiny-x2.pt") +
			" x=4 y=4 window=8 kernel=8");
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("must be odd"), m.getCancelReason());
	}
}
