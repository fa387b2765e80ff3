package org.promptsr.commands;

import ij.ImagePlus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.promptsr.testutil.Fixtures;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class SuperResolutionCommandTest {
	private static Context context;

	@BeforeAll
	static void start() {
		context = new Context();
	}

	@AfterAll
	static void stop() {
		context.dispose();
	}

	private CommandModule run(ImagePlus image, String options) throws Exception {
		Map<String, Object> inputs = new HashMap<>();
		inputs.put("image", image);
		for (String pair : options.split(" ")) {
			int eq = pair.indexOf('=');
			inputs.put(pair.substring(0, eq), pair.substring(eq + 1));
		}
		return context.service(CommandService.class).run(SuperResolutionCommand.class, true, inputs).get();
	}

	@Test
	void macroOptionsRunTheCommandAndGiveANewImage() throws Exception {
		ImagePlus imp = Fixtures.image(ImagePlus.GRAY8, 40, 30, 1, 1, 1, 1);
		Object[] before = Fixtures.snapshot(imp);
		CommandModule m = run(imp, "scale=2 model=File model_file=" + Fixtures.path("local-x2.pt") +
			" tile=24 overlap=8 device=cpu");
		assertFalse(m.isCanceled(), String.valueOf(m.getCancelReason()));
		ImagePlus out = (ImagePlus) m.getOutput("result");
		assertEquals(80, out.getWidth());
		assertEquals(60, out.getHeight());
		assertEquals("test-x2.tif", out.getTitle());
		assertTrue(Fixtures.unchanged(imp, before));
	}

	@Test
	void scaleThatDoesNotMatchTheModelCancelsWithAMessage() throws Exception {
		ImagePlus imp = Fixtures.image(ImagePlus.GRAY8, 20, 20, 1, 1, 1, 1);
		CommandModule m = run(imp, "scale=3 model=File model_file=" + Fixtures.path("local-x2.pt") +
			" tile=24 overlap=8 device=cpu");
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("upscales x2"), m.getCancelReason());
		assertNull(m.getOutput("result"));
	}

	@Test
	void fileChoiceWithoutAFileCancelsWithAMessage() throws Exception {
		CommandModule m = run(Fixtures.image(ImagePlus.GRAY8, 20, 20, 1, 1, 1, 1), "scale=2 model=File model_file= tile=24 overlap=8 device=cpu");
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("no model file"), m.getCancelReason());
	}

	@Test
	void parameterNamesAreUniqueIgnoringCase() {
		CommandInfo info = context.service(CommandService.class).getCommand(SuperResolutionCommand.class);
		assertNotNull(info, "command not indexed");
		assertEquals("Super-Resolution", info.getMenuPath().getLeaf().getName());
		assertEquals("PromptSR", info.getMenuPath().get(1).getName());
		Set<String> seen = new HashSet<>();
		for (ModuleItem<?> item : info.inputs())
			assertTrue(seen.add(item.getName().toLowerCase(Locale.ROOT)), "duplicate macro key " + item.getName());
	}
}
