package org.promptsr.commands;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** Menu and parameter names; the macro route (options as strings) is covered by {@link RecordedMacroTest}. */
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
