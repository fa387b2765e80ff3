package org.promptsr.commands;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** One headless SciJava context per test class, and the menu and parameter-name check every command shares. */
abstract class CommandTestBase {
	static Context context;

	@BeforeAll
	static void startContext() {
		System.setProperty("java.awt.headless", "true");
		context = new Context();
	}

	@AfterAll
	static void stopContext() {
		context.dispose();
	}

	static CommandInfo info(Class<? extends Command> command) {
		CommandInfo info = context.service(CommandService.class).getCommand(command);
		assertNotNull(info, command.getSimpleName() + " is not indexed");
		return info;
	}

	static CommandModule run(Class<? extends Command> command, Map<String, Object> inputs) throws Exception {
		return context.service(CommandService.class).run(command, true, inputs).get();
	}

	/**
	 * Asserts the menu path Plugins > PromptSR > {@code leaf} and that no two inputs or outputs share a name
	 * ignoring case (ImageJ matches macro keys that way); returns the names, in lower case.
	 */
	static Set<String> assertMenuAndUniqueNames(Class<? extends Command> command, String leaf) {
		CommandInfo info = info(command);
		assertEquals(leaf, info.getMenuPath().getLeaf().getName());
		assertEquals("PromptSR", info.getMenuPath().get(1).getName());
		Set<String> seen = new HashSet<>();
		for (ModuleItem<?> item : info.inputs())
			assertTrue(seen.add(item.getName().toLowerCase(Locale.ROOT)), "duplicate macro key " + item.getName());
		for (ModuleItem<?> item : info.outputs())
			assertTrue(seen.add(item.getName().toLowerCase(Locale.ROOT)), "duplicate key " + item.getName());
		return seen;
	}
}
