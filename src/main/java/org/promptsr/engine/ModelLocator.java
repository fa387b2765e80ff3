package org.promptsr.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * Finds model files by name ({@code promptsr-x4}, {@code promptsr-star-x2}, ...) or takes a path.
 * Searched in order: the folder in system property {@code promptsr.models} or environment
 * variable {@code PROMPTSR_MODELS}; {@code Fiji.app/models/promptsr/}, where Fiji.app is the folder in
 * system property {@code imagej.dir}, {@code fiji.dir} or {@code ij.dir} (Fiji's launcher sets them) or
 * else the folder above the {@code jars/} folder holding this plugin's jar; the repository's
 * {@code models/} (from the working directory or beside the build output).
 */
public final class ModelLocator {

	/** Menu choices of the commands. */
	public static final String PROMPTSR = "PromptSR";
	public static final String PROMPTSR_STAR = "PromptSR*";

	private final List<Path> folders;

	public ModelLocator(List<Path> folders) {
		this.folders = Collections.unmodifiableList(new ArrayList<>(folders));
	}

	public static ModelLocator standard() {
		LinkedHashSet<Path> dirs = new LinkedHashSet<>();
		addIfSet(dirs, System.getProperty("promptsr.models"));
		addIfSet(dirs, System.getenv("PROMPTSR_MODELS"));
		for (String key : new String[] { "imagej.dir", "fiji.dir", "ij.dir" }) {
			String root = System.getProperty(key);
			if (root != null) dirs.add(Paths.get(root, "models", "promptsr"));
		}
		Path code = codeLocation();
		Path fiji = fijiModels(code);
		if (fiji != null) dirs.add(fiji);
		dirs.add(Paths.get(System.getProperty("user.dir"), "models", "promptsr"));
		dirs.add(Paths.get(System.getProperty("user.dir"), "models"));
		if (code != null) {
			// target/classes or target/x.jar inside the repository -> <repo>/models
			for (Path p = code.getParent(); p != null; p = p.getParent()) {
				if (Files.isDirectory(p.resolve("models")) && Files.exists(p.resolve("pom.xml"))) {
					dirs.add(p.resolve("models"));
					break;
				}
			}
		}
		return new ModelLocator(new ArrayList<>(dirs));
	}

	/** {@code Fiji.app/models/promptsr} for a jar installed as {@code Fiji.app/jars/x.jar}; otherwise {@code null}. */
	static Path fijiModels(Path codeLocation) {
		if (codeLocation == null || !codeLocation.getFileName().toString().endsWith(".jar")) return null;
		Path jars = codeLocation.toAbsolutePath().getParent();
		if (jars == null || jars.getFileName() == null || !jars.getFileName().toString().equals("jars") || jars.getParent() == null) return null;
		return jars.getParent().resolve("models").resolve("promptsr");
	}

	/** The default model name for a menu choice and scale; {@code null} if it is not a menu choice. */
	public static String nameFor(String choice, int scale) {
		if (choice == null || choice.trim().isEmpty() || choice.equals(PROMPTSR)) return "promptsr-x" + scale;
		if (choice.equals(PROMPTSR_STAR)) return "promptsr-star-x" + scale;
		return null;
	}

	/** A file path, a model name, or a menu choice ({@link #PROMPTSR}, {@link #PROMPTSR_STAR}). */
	public Path resolve(String model, int scale) {
		String name = nameFor(model, scale);
		if (name == null) {
			String m = model.trim();
			boolean looksLikePath = m.contains("/") || m.contains("\\") || m.toLowerCase(Locale.ROOT).endsWith(".pt");
			if (looksLikePath) {
				Path p = Paths.get(m);
				if (!Files.isRegularFile(p))
					throw new IllegalArgumentException("Model file not found: " + p.toAbsolutePath() +
						". Give the path of a TorchScript .pt file or a model name such as promptsr-x" + scale + ".");
				return p;
			}
			name = m;
		}
		for (Path dir : folders) {
			Path candidate = dir.resolve(name + ".pt");
			if (Files.isRegularFile(candidate)) return candidate;
		}
		throw new IllegalArgumentException("No model named '" + name + "' in " + folders +
			". Install the PromptSR update site (it puts models in Fiji.app/models/promptsr/), " +
			"set -Dpromptsr.models=FOLDER, or give the path of a .pt file.");
	}

	/**
	 * The largest scale (4, 3, 2) that has a model for the menu choice, or 4 when none has: the
	 * default scale of the commands, so that the first run uses a model that is installed.
	 */
	public int largestInstalledScale(String choice) {
		for (int s : new int[] { 4, 3, 2 }) {
			String name = nameFor(choice, s);
			for (Path dir : folders)
				if (Files.isRegularFile(dir.resolve(name + ".pt"))) return s;
		}
		return 4;
	}

	public List<Path> folders() {
		return folders;
	}

	private static void addIfSet(LinkedHashSet<Path> dirs, String value) {
		if (value != null && !value.trim().isEmpty()) dirs.add(Paths.get(value.trim()));
	}

	private static Path codeLocation() {
		try {
			return Paths.get(ModelLocator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		}
		catch (Exception e) {
			return null;
		}
	}
}
