package org.promptsr.updatesite;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Assembles the PromptSR update site: the plugin jar, the runtime jars Fiji lacks (DJL and its PyTorch
 * engine), the PyTorch CPU natives for each platform Maven Central serves, and the models under
 * {@code models/promptsr/}; every file stored as {@code <path>-<timestamp>}, then {@code db.xml.gz}.
 *
 * <pre>
 * java -cp promptsr-fiji.jar org.promptsr.updatesite.UpdateSiteBuilder --out DIR --jar PLUGIN.jar \
 *     --classpath target/classpath.txt [--natives DIR] --models models [--timestamp yyyyMMddHHmmss]
 * </pre>
 * A runtime jar that is neither in {@link #SHIPPED} nor in {@link #FIJI_SHIPS} stops the build, so a new
 * transitive dependency cannot be dropped (or shipped) silently.
 */
public final class UpdateSiteBuilder {

	/**
	 * Runtime dependencies that Fiji already has (its pom-scijava 45 versions, which this build uses
	 * too): shipping a second copy would be a jar conflict. JNA stays Fiji's 5.14.0 although DJL is
	 * built against 5.17.0: DJL uses JNA only to ask libcudart for GPUs, and OneDnnIsaCap only to call
	 * libc's setenv, both through {@code Native.load(String, Class)}, which 5.14 has.
	 */
	public static final Set<String> FIJI_SHIPS = Collections.unmodifiableSet(new HashSet<>(Arrays.asList(
		"scijava-common", "parsington", "imglib2", "ij", "gson", "jna", "commons-compress", "commons-codec",
		"commons-io", "slf4j-api")));

	/** Runtime dependencies Fiji lacks: DJL 0.36.0 with the PyTorch 2.7.1 engine. */
	public static final Set<String> SHIPPED = Collections.unmodifiableSet(new HashSet<>(Arrays.asList(
		"api", "pytorch-engine", "pytorch-jni", NativeJar.ARTIFACT)));

	private UpdateSiteBuilder() {}

	/** What goes into the site. */
	public static final class Plan {
		final Path pluginJar;
		final List<Path> runtimeClasspath;
		final List<Path> nativeJars;
		final Path models;
		final String timestamp;

		public Plan(Path pluginJar, List<Path> runtimeClasspath, List<Path> nativeJars, Path models, String timestamp) {
			this.pluginJar = pluginJar;
			this.runtimeClasspath = runtimeClasspath;
			this.nativeJars = nativeJars;
			this.models = models;
			this.timestamp = timestamp;
		}
	}

	/** A file of the site before it is checksummed: where it comes from and where it goes. */
	static final class Placement {
		final Path source;
		final String path;
		final String platform;
		final String description;
		final List<String> dependencies = new ArrayList<>();

		Placement(Path source, String path, String platform, String description) {
			this.source = source;
			this.path = path;
			this.platform = platform;
			this.description = description;
		}
	}

	/** The files of the site and the runtime jars left to Fiji, in site order. */
	static final class Layout {
		final List<Placement> files = new ArrayList<>();
		final List<Path> leftToFiji = new ArrayList<>();
	}

	static Layout layout(Plan plan) throws IOException {
		Layout layout = new Layout();
		Placement plugin = new Placement(plan.pluginJar, "jars/" + plan.pluginJar.getFileName(), null,
			"PromptSR super-resolution (Plugins > PromptSR): a lightweight transformer run through DJL's PyTorch engine.");
		layout.files.add(plugin);
		Map<String, Placement> natives = new TreeMap<>();
		for (Path jar : plan.runtimeClasspath) {
			String artifact = artifactId(jar);
			if (FIJI_SHIPS.contains(artifact)) layout.leftToFiji.add(jar);
			else if (artifact.equals(NativeJar.ARTIFACT)) natives.put(jar.getFileName().toString(), NativeJar.placement(jar));
			else if (SHIPPED.contains(artifact)) {
				Placement p = new Placement(jar, "jars/" + jar.getFileName(), null, "Deep Java Library (" + artifact + "), needed by PromptSR.");
				layout.files.add(p);
				plugin.dependencies.add(p.path);
			}
			else throw new IllegalStateException("Runtime dependency " + jar.getFileName() + " is neither shipped nor known to " +
				"come with Fiji. Add '" + artifact + "' to UpdateSiteBuilder.SHIPPED or FIJI_SHIPS (check Fiji's jars/ folder first).");
		}
		for (Path jar : plan.nativeJars)
			natives.put(jar.getFileName().toString(), NativeJar.placement(jar));
		if (natives.isEmpty()) throw new IllegalStateException("No " + NativeJar.ARTIFACT + " jar: DJL could not start on any platform.");
		layout.files.addAll(natives.values());
		for (Placement model : models(plan.models)) {
			layout.files.add(model);
			plugin.dependencies.add(model.path);
		}
		return layout;
	}

	/** Copies every file to {@code out/<path>-<timestamp>} and writes {@code out/db.xml.gz} last. */
	public static List<SiteFile> build(Plan plan, Path out) throws IOException {
		if (Files.exists(out)) {
			try (Stream<Path> s = Files.list(out)) {
				if (s.findAny().isPresent()) throw new IllegalArgumentException("output folder is not empty: " + out);
			}
		}
		Layout layout = layout(plan);
		List<SiteFile> files = new ArrayList<>();
		for (Placement p : layout.files) {
			SiteFile f = new SiteFile(p.path, UpdaterChecksum.of(p.path, p.source), plan.timestamp, Files.size(p.source),
				p.platform, p.description, p.dependencies);
			Path target = out.resolve(f.sitePath());
			Files.createDirectories(target.getParent());
			Files.copy(p.source, target);
			files.add(f);
		}
		DbXml.write(files, out.resolve(DbXml.FILE_NAME));
		return files;
	}

	/** Models {@code NAME.pt} with their card {@code NAME.json}, for {@code models/promptsr/}. */
	static List<Placement> models(Path dir) throws IOException {
		List<Placement> models = new ArrayList<>();
		List<Path> weights;
		try (Stream<Path> s = Files.list(dir)) {
			weights = s.filter(p -> p.getFileName().toString().endsWith(".pt")).sorted().collect(Collectors.toList());
		}
		for (Path pt : weights) {
			String name = pt.getFileName().toString().replaceFirst("\\.pt$", "");
			Path card = pt.resolveSibling(name + ".json");
			if (!Files.isRegularFile(card)) throw new IllegalStateException(pt + " has no model card " + card.getFileName());
			models.add(new Placement(pt, "models/promptsr/" + name + ".pt", null, "PromptSR model " + name + " (TorchScript)."));
			models.add(new Placement(card, "models/promptsr/" + name + ".json", null, "Model card of " + name + " (scale, training, PSNR, SHA-256)."));
		}
		if (models.isEmpty()) throw new IllegalStateException("no models (*.pt with a .json card) in " + dir);
		return models;
	}

	/** The artifactId of a jar in a Maven repository: {@code .../<artifactId>/<version>/<artifactId>-<version>[-classifier].jar}. */
	static String artifactId(Path jar) {
		Path versionDir = jar.toAbsolutePath().getParent();
		Path artifactDir = versionDir == null ? null : versionDir.getParent();
		String name = jar.getFileName().toString();
		if (artifactDir == null || !name.startsWith(artifactDir.getFileName() + "-" + versionDir.getFileName()))
			throw new IllegalArgumentException("not a jar in a Maven repository: " + jar);
		return artifactDir.getFileName().toString();
	}

	/** {@code pytorch-native-cpu-<version>-<classifier>.jar}: the classifier names the platform. */
	static final class NativeJar {
		static final String ARTIFACT = "pytorch-native-cpu";
		/** DJL classifier -> the updater's platform name, which is also the folder under jars/. */
		static final Map<String, String> PLATFORMS = new LinkedHashMap<>();

		static {
			PLATFORMS.put("linux-x86_64", "linux64");
			PLATFORMS.put("linux-aarch64", "linux-arm64");
			PLATFORMS.put("osx-aarch64", "macos-arm64");
			PLATFORMS.put("win-x86_64", "win64");
		}

		static Placement placement(Path jar) {
			String name = jar.getFileName().toString();
			String classifier = null;
			for (String c : PLATFORMS.keySet())
				if (name.startsWith(ARTIFACT + "-") && name.endsWith("-" + c + ".jar")) classifier = c;
			if (classifier == null)
				throw new IllegalArgumentException("not a " + ARTIFACT + " jar of a known platform " + PLATFORMS.keySet() + ": " + name);
			String platform = PLATFORMS.get(classifier);
			return new Placement(jar, "jars/" + platform + "/" + name, platform,
				"PyTorch CPU libraries for " + classifier + " (DJL), needed by PromptSR; installed on " + platform + " only.");
		}
	}

	/** yyyyMMddHHmmss in UTC. */
	static String timestampNow() {
		return DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT).format(ZonedDateTime.now(ZoneOffset.UTC));
	}

	public static void main(String[] args) {
		try {
			System.exit(run(args, System.out));
		}
		catch (IllegalArgumentException | IllegalStateException | IOException e) {
			System.err.println("update site: " + e.getMessage());
			System.exit(2);
		}
	}

	static final String USAGE = "usage: UpdateSiteBuilder --out DIR --jar PLUGIN.jar --classpath CLASSPATH_FILE " +
		"[--natives DIR] --models DIR [--timestamp yyyyMMddHHmmss]";

	static int run(String[] args, PrintStream out) throws IOException {
		Map<String, String> o = new LinkedHashMap<>();
		for (int i = 0; i < args.length; i += 2) {
			if (!args[i].startsWith("--") || i + 1 >= args.length) throw new IllegalArgumentException(USAGE);
			o.put(args[i].substring(2), args[i + 1]);
		}
		for (String key : Arrays.asList("out", "jar", "classpath", "models"))
			if (!o.containsKey(key)) throw new IllegalArgumentException("--" + key + " is missing\n" + USAGE);
		List<Path> classpath = new ArrayList<>();
		for (String entry : new String(Files.readAllBytes(Paths.get(o.get("classpath"))), StandardCharsets.UTF_8).trim().split(java.io.File.pathSeparator))
			if (!entry.isEmpty()) classpath.add(Paths.get(entry));
		List<Path> natives = new ArrayList<>();
		if (o.containsKey("natives") && Files.isDirectory(Paths.get(o.get("natives")))) {
			try (Stream<Path> s = Files.list(Paths.get(o.get("natives")))) {
				natives = s.filter(p -> p.getFileName().toString().startsWith(NativeJar.ARTIFACT)).sorted().collect(Collectors.toList());
			}
		}
		Plan plan = new Plan(Paths.get(o.get("jar")), classpath, natives, Paths.get(o.get("models")),
			o.getOrDefault("timestamp", timestampNow()));
		Path dir = Paths.get(o.get("out"));
		List<SiteFile> files = build(plan, dir);
		long total = 0;
		for (SiteFile f : files) {
			out.printf("%10.1f MB  %-12s %s%n", f.size / 1e6, f.platform == null ? "all" : f.platform, f.sitePath());
			total += f.size;
		}
		total += Files.size(dir.resolve(DbXml.FILE_NAME));
		for (Path jar : layout(plan).leftToFiji)
			out.println("  (Fiji ships " + jar.getFileName() + ")");
		out.printf("update site %s: %d files + %s, %d bytes (%.1f MB), timestamp %s%n", dir, files.size(), DbXml.FILE_NAME,
			total, total / 1e6, plan.timestamp);
		return 0;
	}
}
