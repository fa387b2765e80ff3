package org.promptsr.commands;

import java.io.File;

/** The commands' model parameter: a menu choice (PromptSR, PromptSR*) or 'File' with its model file. */
final class ModelChoice {
	static final String FILE = "File";

	private ModelChoice() {}

	/** What {@code ModelLocator.resolve} takes: the choice itself, or the file's path for 'File'. */
	static String of(String model, File modelFile) {
		if (!FILE.equals(model)) return model;
		if (modelFile == null || modelFile.getPath().isEmpty())
			throw new IllegalArgumentException("Model 'File' was chosen but no model file was given.");
		return modelFile.getPath();
	}
}
