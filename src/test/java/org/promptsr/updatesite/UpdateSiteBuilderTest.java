package org.promptsr.updatesite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/** The builder on a small fake Maven repository (UpdateSiteIT builds the real site). */
class UpdateSiteBuilderTest {
	private static final String TS = "20260102030405";

	@TempDir
	Path tmp;

	private Path mavenJar(String artifact, String version, String classifier, String... entries) throws IOException {
		Path dir = Files.createDirectories(tmp.resolve("m2/g/" + artifact + "/" + version));
		Path jar = dir.resolve(artifact + "-" + version + (classifier == null ? "" : "-" + classifier) + ".jar");
		try (OutputStream os = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(os)) {
			for (String e : entries.length == 0 ? new String[] { artifact + ".txt" } : entries) {
				zip.putNextEntry(new ZipEntry(e));
				zip.write(e.getBytes(StandardCharsets.UTF_8));
				zip.closeEntry();
			}
		}
		return jar;
	}

	private Path models() throws IOException {
		Path dir = Files.createDirectories(tmp.resolve("models"));
		Files.write(dir.resolve("promptsr-x2.pt"), new byte[] { 1, 2, 3 });
		Files.write(dir.resolve("promptsr-x2.json"), "{}".getBytes(StandardCharsets.UTF_8));
		Files.createDirectories(dir.resolve("training"));
		return dir;
	}

	private UpdateSiteBuilder.Plan plan(List<Path> classpath, List<Path> natives) throws IOException {
		return new UpdateSiteBuilder.Plan(mavenJar("promptsr-fiji", "0.1.0", null), classpath, natives, models(), TS);
	}

	private List<Path> runtime() throws IOException {
		return new ArrayList<>(Arrays.asList(mavenJar("api", "0.36.0", null), mavenJar("gson", "2.10.1", null),
			mavenJar("jna", "5.14.0", null), mavenJar("pytorch-native-cpu", "2.7.1", "linux-x86_64", "native/lib/pytorch.properties")));
	}

	@Test
	void siteHasEachFileUnderItsTimestampedNameAndAnIndexThatReadsBack() throws IOException {
		List<Path> natives = Collections.singletonList(mavenJar("pytorch-native-cpu", "2.7.1", "win-x86_64", "native/lib/pytorch.properties"));
		Path site = tmp.resolve("site");
		List<SiteFile> files = UpdateSiteBuilder.build(plan(runtime(), natives), site);

		List<String> paths = new ArrayList<>();
		for (SiteFile f : files) paths.add(f.path);
		assertEquals(Arrays.asList("jars/promptsr-fiji-0.1.0.jar", "jars/api-0.36.0.jar",
			"jars/linux64/pytorch-native-cpu-2.7.1-linux-x86_64.jar", "jars/win64/pytorch-native-cpu-2.7.1-win-x86_64.jar",
			"models/promptsr/promptsr-x2.pt", "models/promptsr/promptsr-x2.json"), paths);
		assertFalse(Files.exists(site.resolve("jars/gson-2.10.1.jar-" + TS)), "Fiji ships gson");
		for (SiteFile f : files) {
			Path stored = site.resolve(f.path + "-" + TS);
			assertTrue(Files.isRegularFile(stored), f.path);
			assertEquals(Files.size(stored), f.size);
			assertEquals(UpdaterChecksum.of(f.path, stored), f.checksum);
		}
		assertEquals("win64", files.get(3).platform);
		assertNull(files.get(1).platform);

		List<SiteFile> read = DbXml.read(site.resolve("db.xml.gz"));
		assertEquals(files.size(), read.size());
		for (int i = 0; i < files.size(); i++) {
			assertEquals(files.get(i).path, read.get(i).path);
			assertEquals(files.get(i).checksum, read.get(i).checksum);
			assertEquals(files.get(i).size, read.get(i).size);
			assertEquals(files.get(i).platform, read.get(i).platform);
			assertEquals(files.get(i).dependencies, read.get(i).dependencies);
		}
		assertTrue(read.get(0).dependencies.containsAll(Arrays.asList("jars/api-0.36.0.jar", "models/promptsr/promptsr-x2.pt")));
	}

	@Test
	void sameInputsAndTimestampGiveAByteIdenticalIndex() throws IOException {
		UpdateSiteBuilder.Plan plan = plan(runtime(), Collections.emptyList());
		UpdateSiteBuilder.build(plan, tmp.resolve("one"));
		UpdateSiteBuilder.build(plan, tmp.resolve("two"));
		assertArrayEquals(Files.readAllBytes(tmp.resolve("one/db.xml.gz")), Files.readAllBytes(tmp.resolve("two/db.xml.gz")));
	}

	@Test
	void anUnknownRuntimeJarStopsTheBuild() throws IOException {
		List<Path> classpath = runtime();
		classpath.add(mavenJar("guava", "33.0", null));
		IllegalStateException e = assertThrows(IllegalStateException.class,
			() -> UpdateSiteBuilder.build(plan(classpath, Collections.emptyList()), tmp.resolve("site")));
		assertTrue(e.getMessage().contains("guava-33.0.jar"), e.getMessage());
		assertFalse(Files.exists(tmp.resolve("site/db.xml.gz")));
	}

	@Test
	void problemsAreReportedBeforeAnythingIsWritten() throws IOException {
		Files.write(Files.createDirectories(tmp.resolve("full")).resolve("old"), new byte[1]);
		assertThrows(IllegalArgumentException.class, () -> UpdateSiteBuilder.build(plan(runtime(), Collections.emptyList()), tmp.resolve("full")));
		Files.delete(models().resolve("promptsr-x2.json"));
		UpdateSiteBuilder.Plan noCard = new UpdateSiteBuilder.Plan(mavenJar("promptsr-fiji", "0.1.0", null), runtime(),
			Collections.emptyList(), tmp.resolve("models"), TS);
		IllegalStateException e = assertThrows(IllegalStateException.class, () -> UpdateSiteBuilder.build(noCard, tmp.resolve("site")));
		assertTrue(e.getMessage().contains("model card"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> UpdateSiteBuilder.NativeJar.placement(
			mavenJar("pytorch-native-cpu", "2.7.1", "osx-x86_64")));
		assertThrows(IllegalArgumentException.class, () -> new SiteFile("jars/x.jar", "0".repeat(40), "2026", 1, null, null,
			Collections.emptyList()));
	}
}
