package org.promptsr.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * Locates the benchmark data ({@code val/<set>/HR/*.png}, {@code val/<set>/LR_bicubic/X<s>/<name>x<s>.png}):
 * system property {@code promptsr.data}, else {@code <project root>/../shared/data}, else
 * {@code /work/shared/data}. Tests that need it are skipped when none exists.
 */
public final class TestData {

	static {
		System.setProperty("java.awt.headless", "true");
	}

	private TestData() {}

	public static Path root() {
		final String property = System.getProperty("promptsr.data");
		if (property != null && !property.isEmpty()) return Paths.get(property);
		final String project = System.getProperty("basedir", System.getProperty("user.dir"));
		final Path sibling = Paths.get(project).toAbsolutePath().resolve("../shared/data").normalize();
		return Files.isDirectory(sibling) ? sibling : Paths.get("/work/shared/data");
	}

	/** Skips the calling test when the set is not there. */
	public static void assumeSet(final String set) {
		Assumptions.assumeTrue(Files.isDirectory(root().resolve("val").resolve(set).resolve("HR")),
			"benchmark data not found under " + root() + " (set -Dpromptsr.data=...)");
	}

	/** Image names (file name without .png) of a set's HR folder, sorted. */
	static List<String> names(final String set) {
		try (Stream<Path> files = Files.list(root().resolve("val").resolve(set).resolve("HR"))) {
			return files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".png"))
				.map(f -> f.substring(0, f.length() - 4)).sorted().collect(Collectors.toList());
		}
		catch (final IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	static UInt8Image hr(final String set, final String name) {
		return UInt8Image.open(root().resolve("val").resolve(set).resolve("HR").resolve(name + ".png"));
	}

	static UInt8Image lr(final String set, final String name, final int scale) {
		return UInt8Image.open(root().resolve("val").resolve(set).resolve("LR_bicubic")
			.resolve("X" + scale).resolve(name + "x" + scale + ".png"));
	}
}
