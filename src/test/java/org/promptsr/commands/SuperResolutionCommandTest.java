package org.promptsr.commands;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** Menu and parameter names; the macro route (options as strings) is covered by {@link RecordedMacroTest}. */
class SuperResolutionCommandTest extends CommandTestBase {
	@Test
	void parameterNamesAreUniqueIgnoringCase() {
		Set<String> seen = assertMenuAndUniqueNames(SuperResolutionCommand.class, "Super-Resolution");
		assertTrue(seen.containsAll(Arrays.asList("image", "scale", "model", "model_file", "tile", "overlap", "device", "result")),
			seen.toString());
	}
}
