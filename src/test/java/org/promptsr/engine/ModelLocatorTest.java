package org.promptsr.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;

import static org.junit.jupiter.api.Assertions.*;

class ModelLocatorTest {

	@Test
	void menuChoicesMapToModelNames() {
		assertEquals("promptsr-x3", ModelLocator.nameFor("PromptSR", 3));
		assertEquals("promptsr-star-x2", ModelLocator.nameFor("PromptSR*", 2));
		assertNull(ModelLocator.nameFor("my-model", 2));
	}

	@Test
	void namesAreFoundInTheSearchFolders(@TempDir Path dir) throws IOException {
		Files.write(dir.resolve("promptsr-x4.pt"), new byte[1]);
		ModelLocator locator = new ModelLocator(Collections.singletonList(dir));
		assertEquals(dir.resolve("promptsr-x4.pt"), locator.resolve("PromptSR", 4));
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> locator.resolve("PromptSR*", 4));
		assertTrue(e.getMessage().contains("promptsr-star-x4") && e.getMessage().contains("update site"), e.getMessage());
	}

	@Test
	void defaultScaleIsTheLargestInstalled(@TempDir Path dir) throws IOException {
		ModelLocator locator = new ModelLocator(Collections.singletonList(dir));
		assertEquals(4, locator.largestInstalledScale("PromptSR"), "nothing installed: x4, whose error names what is missing");
		Files.write(dir.resolve("promptsr-x2.pt"), new byte[1]);
		assertEquals(2, locator.largestInstalledScale("PromptSR"));
		Files.write(dir.resolve("promptsr-x3.pt"), new byte[1]);
		Files.write(dir.resolve("promptsr-star-x4.pt"), new byte[1]);
		assertEquals(3, locator.largestInstalledScale("PromptSR"));
		assertEquals(4, locator.largestInstalledScale("PromptSR*"));
	}

	@Test
	void aJarInFijisJarsFolderLooksInFijisModelsFolder(@TempDir Path dir) {
		Path fiji = dir.resolve("Fiji.app");
		assertEquals(fiji.resolve("models/promptsr"), ModelLocator.fijiModels(fiji.resolve("jars/promptsr-fiji-0.1.0.jar")));
		assertNull(ModelLocator.fijiModels(dir.resolve("target/promptsr-fiji-0.1.0.jar")));
		assertNull(ModelLocator.fijiModels(dir.resolve("jars/classes")));
		assertNull(ModelLocator.fijiModels(null));
	}

	@Test
	void missingFilePathIsReported() {
		ModelLocator locator = new ModelLocator(Collections.emptyList());
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> locator.resolve("/no/such/model.pt", 2));
		assertTrue(e.getMessage().contains("Model file not found"));
	}
}
