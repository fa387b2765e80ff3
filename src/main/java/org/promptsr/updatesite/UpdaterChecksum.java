package org.promptsr.updatesite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The checksum the ImageJ updater records in {@code db.xml.gz} and checks after every download
 * (imagej-updater's {@code UpdaterUtil.getDigest}), written from its description:
 * <ul>
 * <li>Any file but a jar: SHA-1 of the file's path in Fiji.app (ASCII) followed by its bytes.</li>
 * <li>A {@code .jar}: SHA-1 over its entries sorted by name; each entry contributes its name (ASCII,
 * '?' for other characters) and then its uncompressed content, where
 * <ul>
 * <li>{@code META-INF/MANIFEST.MF} contributes no content at all: the updater's manifest filter keeps
 * only lines that, once upper-cased, start with the mixed-case {@code "Main-Class:"}, which none can;</li>
 * <li>a {@code *.properties} entry has its {@code #} comment lines reduced to a bare newline, with
 * the updater's exact line-start bookkeeping ({@link PropertiesFilter}).</li>
 * </ul>
 * Build dates and tool versions therefore do not change a jar's checksum; its classes and resources do.</li>
 * </ul>
 * Lower-case hex. The verifier in {@code update-site/verify.py} recomputes the same value independently.
 */
public final class UpdaterChecksum {

	static final String MANIFEST = "META-INF/MANIFEST.MF";

	private UpdaterChecksum() {}

	/** @param sitePath the file's path inside Fiji.app, with '/' separators (e.g. {@code jars/x-1.0.jar}) */
	public static String of(String sitePath, Path file) throws IOException {
		return sitePath.endsWith(".jar") ? ofJar(file) : ofPlainFile(sitePath, file);
	}

	static String ofPlainFile(String sitePath, Path file) throws IOException {
		MessageDigest sha1 = sha1();
		sha1.update(sitePath.getBytes(StandardCharsets.US_ASCII));
		try (InputStream in = Files.newInputStream(file)) {
			pump(in, sha1);
		}
		return hex(sha1.digest());
	}

	static String ofJar(Path jar) throws IOException {
		MessageDigest sha1 = sha1();
		try (ZipFile zip = new ZipFile(jar.toFile())) {
			List<ZipEntry> entries = new ArrayList<>(Collections.list(zip.entries()));
			entries.sort(Comparator.comparing(ZipEntry::getName));
			for (ZipEntry entry : entries) {
				String name = entry.getName();
				sha1.update(name.getBytes(StandardCharsets.US_ASCII));
				if (name.equals(MANIFEST)) continue;
				try (InputStream in = zip.getInputStream(entry)) {
					if (name.endsWith(".properties")) {
						byte[] filtered = PropertiesFilter.apply(in.readAllBytes());
						sha1.update(filtered);
					}
					else pump(in, sha1);
				}
			}
		}
		return hex(sha1.digest());
	}

	private static void pump(InputStream in, MessageDigest digest) throws IOException {
		byte[] buffer = new byte[1 << 16];
		for (int n; (n = in.read(buffer)) >= 0;)
			digest.update(buffer, 0, n);
	}

	private static MessageDigest sha1() {
		try {
			return MessageDigest.getInstance("SHA-1");
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("every JVM has SHA-1", e);
		}
	}

	static String hex(byte[] bytes) {
		StringBuilder s = new StringBuilder(bytes.length * 2);
		for (byte b : bytes)
			s.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
		return s.toString();
	}

	/**
	 * The updater's comment filter for {@code .properties} entries. It tracks one flag, "at line start",
	 * true at the beginning. Reading a byte while the flag is set: a {@code '#'} swallows the bytes up
	 * to the next newline, which is kept (the swallowed bytes are read with the same rules, so the flag
	 * ends up cleared by any non-'#' byte among them, then set again by a newline read while clear);
	 * any other byte, a newline included, is kept and clears the flag. Reading while the flag is clear:
	 * the byte is kept and a newline sets the flag. Consequences worth knowing: {@code "#x\n"} becomes
	 * {@code "\n"}; after an empty line or a comment line that is only '#'s, the next line is kept even
	 * if it is a comment; a comment without a final newline vanishes.
	 */
	static final class PropertiesFilter {
		private final byte[] in;
		private int pos;
		private boolean lineStart = true;

		private PropertiesFilter(byte[] in) {
			this.in = in;
		}

		static byte[] apply(byte[] in) {
			PropertiesFilter f = new PropertiesFilter(in);
			java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(in.length);
			for (int b; (b = f.next()) >= 0;)
				out.write(b);
			return out.toByteArray();
		}

		/** The next output byte, or -1 at the end. */
		private int next() {
			int b = pos < in.length ? in[pos++] & 0xff : -1;
			if (lineStart) {
				if (b == '#') {
					do b = next(); while (b != '\n' && b != -1);
				}
				else lineStart = false;
			}
			else if (b == '\n') lineStart = true;
			return b;
		}
	}
}
