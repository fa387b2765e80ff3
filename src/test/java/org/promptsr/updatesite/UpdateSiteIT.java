package org.promptsr.updatesite;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ByteProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.promptsr.engine.DeviceChoice;
import org.promptsr.engine.ModelCache;
import org.promptsr.engine.TorchScriptModel;
import org.promptsr.pipeline.SuperResolution;
import org.promptsr.pipeline.TileSettings;
import org.promptsr.progress.Progress;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The update site end to end, trusting nothing the builder says about itself: build the site, verify and
 * install it with the independent Python verifier into an empty Fiji.app (jars/, models/), then start a
 * JVM whose class path is that Fiji.app's jars plus the jars Fiji itself ships, and run the
 * Super-Resolution command there as a macro line would, with the model found in Fiji.app/models/promptsr
 * and libtorch extracted from the installed natives jar into an empty cache. Runs after {@code package}
 * (failsafe), so the plugin jar exists.
 */
class UpdateSiteIT {

	/** What a Fiji installation already has (this test's own list, kept apart from the builder's). */
	private static final Set<String> FIJI_PROVIDES = new HashSet<>(Arrays.asList("scijava-common", "parsington",
		"imglib2", "ij", "gson", "jna", "commons-compress", "commons-codec", "commons-io", "slf4j-api"));
	private static final String OPTIONS = "scale=2 model=PromptSR model_file=[] tile=32 overlap=8 device=cpu";

	@TempDir
	Path tmp;

	@Test
	void siteInstallsIntoAnEmptyFijiAndRunsSuperResolutionThere() throws Exception {
		Path repo = Paths.get("").toAbsolutePath();
		Path site = tmp.resolve("site");
		Path fiji = tmp.resolve("Fiji.app");
		List<Path> classpath = classpath(repo.resolve("target/classpath.txt"));
		List<Path> natives;
		try (Stream<Path> s = Files.list(Paths.get(System.getProperty("promptsr.natives", "target/natives")))) {
			natives = s.sorted().collect(Collectors.toList());
		}
		List<SiteFile> built = UpdateSiteBuilder.build(new UpdateSiteBuilder.Plan(
			Paths.get(System.getProperty("promptsr.jar")), classpath, natives, repo.resolve("models"), "20260101120000"), site);
		assertTrue(built.size() >= 9, "site files: " + built);

		String verify = exec(repo, 600, python(), repo.resolve("update-site/verify.py").toString(), site.toString(),
			"--install", fiji.toString(), "--platform", "linux64", "--platforms", "linux64,linux-arm64,macos-arm64,win64");
		assertTrue(verify.contains("verified " + built.size() + " files"), verify);
		assertTrue(Files.isRegularFile(fiji.resolve("models/promptsr/promptsr-x2.pt")), verify);
		assertTrue(Files.isRegularFile(fiji.resolve("jars/linux64/pytorch-native-cpu-2.7.1-linux-x86_64.jar")), verify);
		for (String other : new String[] { "win64", "macos-arm64", "linux-arm64" })
			assertFalse(Files.exists(fiji.resolve("jars/" + other)), other + " natives installed on linux64");

		// Fiji's class path: the installed jars, then what Fiji ships; every runtime jar must be one or the other
		Set<String> installed = new HashSet<>();
		for (Path dir : Arrays.asList(fiji.resolve("jars"), fiji.resolve("jars/linux64"))) {
			try (Stream<Path> s = Files.list(dir)) {
				s.filter(p -> p.toString().endsWith(".jar")).forEach(p -> installed.add(p.getFileName().toString()));
			}
		}
		StringBuilder cp = new StringBuilder(fiji.resolve("jars") + File.separator + "*" + File.pathSeparator +
			fiji.resolve("jars/linux64") + File.separator + "*");
		for (Path jar : classpath) {
			if (installed.contains(jar.getFileName().toString())) continue;
			String artifact = jar.getParent().getParent().getFileName().toString();
			assertTrue(FIJI_PROVIDES.contains(artifact), jar.getFileName() + " is neither on the site nor in Fiji");
			cp.append(File.pathSeparator).append(jar);
		}

		ImagePlus input = testImage();
		Path work = Files.createDirectories(tmp.resolve("work"));
		assertTrue(new FileSaver(input).saveAsTiff(work.resolve("in.tif").toString()));
		Path cache = tmp.resolve("djl-cache");
		String run = exec(work, 600, Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
			"-Djava.awt.headless=true", "-Dimagej.dir=" + fiji, "-Dpromptsr.cache=" + cache, "-Dpromptsr.threads=2",
			"-cp", cp.toString(), "org.promptsr.cli.Main", "run", "Super-Resolution", OPTIONS, "in.tif", "-o", "out.tif");
		assertTrue(run.contains("Model: " + fiji.resolve("models/promptsr/promptsr-x2.pt")), run);
		assertTrue(run.contains("Device: CPU"), run);
		try (Stream<Path> s = Files.walk(cache)) {
			assertTrue(s.anyMatch(p -> p.getFileName().toString().equals("libtorch_cpu.so")),
				"libtorch was not extracted from the installed natives jar\n" + run);
		}

		ImagePlus result = IJ.openImage(work.resolve("out.tif").toString());
		assertNotNull(result, run);
		assertEquals(64, result.getWidth());
		assertEquals(64, result.getHeight());
		assertEquals(8, result.getBitDepth());
		ImagePlus expected = reference(repo.resolve("models/promptsr-x2.pt"), input);
		int maxDiff = 0;
		int differsFromNearest = 0;
		for (int y = 0; y < 64; y++) {
			for (int x = 0; x < 64; x++) {
				int v = result.getProcessor().get(x, y);
				maxDiff = Math.max(maxDiff, Math.abs(v - expected.getProcessor().get(x, y)));
				if (v != input.getProcessor().get(x / 2, y / 2)) differsFromNearest++;
			}
		}
		System.out.println("installed Fiji vs this JVM: max |difference| " + maxDiff + ", pixels unlike pixel replication: " + differsFromNearest + "/4096");
		assertTrue(maxDiff <= 1, "installed Fiji and this build disagree by " + maxDiff);
		assertTrue(differsFromNearest > 1000, "result looks like plain pixel replication: " + differsFromNearest);
	}

	/** The same model and tiles run in this JVM, from the build rather than the installed site. */
	private static ImagePlus reference(Path model, ImagePlus input) throws IOException {
		try (ModelCache cache = new ModelCache()) {
			TorchScriptModel m = cache.get(model, DeviceChoice.CPU);
			return new SuperResolution(m, new TileSettings(32, 8, 1)).upscale(input, Progress.NONE);
		}
	}

	private static ImagePlus testImage() {
		ByteProcessor bp = new ByteProcessor(32, 32);
		for (int y = 0; y < 32; y++)
			for (int x = 0; x < 32; x++)
				bp.set(x, y, (int) Math.round(128 + 70 * Math.sin(x / 2.5) * Math.cos(y / 3.5) + (((x / 4 + y / 4) % 2) * 30 - 15)));
		return new ImagePlus("in.tif", bp);
	}

	private static List<Path> classpath(Path file) throws IOException {
		List<Path> jars = new ArrayList<>();
		for (String entry : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim().split(File.pathSeparator))
			if (!entry.isEmpty()) jars.add(Paths.get(entry));
		return jars;
	}

	private static String python() {
		return Files.isExecutable(Paths.get("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
	}

	/** Runs a command in {@code dir} without PROMPTSR_MODELS; fails unless it exits 0. Returns its output. */
	private static String exec(Path dir, int timeoutSeconds, String... command) throws Exception {
		ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
		pb.environment().remove("PROMPTSR_MODELS");
		Path log = Files.createTempFile("update-site-it", ".log");
		pb.redirectOutput(log.toFile());
		Process p = pb.start();
		boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
		if (!done) p.destroyForcibly();
		String output = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
		Files.delete(log);
		System.out.println("$ " + String.join(" ", command) + "\n" + output);
		assertTrue(done, "timed out: " + String.join(" ", command) + "\n" + output);
		assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + output);
		return output;
	}
}
