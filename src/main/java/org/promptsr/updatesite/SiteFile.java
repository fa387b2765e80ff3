package org.promptsr.updatesite;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One file of the update site as {@code db.xml.gz} lists it: its path in Fiji.app, the version
 * (checksum, timestamp, size) and optional metadata. A {@code platform} limits installation to
 * Fiji installations of that platform (updater names: {@code linux64}, {@code linux-arm64},
 * {@code macos-arm64}, {@code win64}); {@code null} means every platform.
 */
public final class SiteFile {
	public final String path;
	public final String checksum;
	public final String timestamp;
	public final long size;
	public final String platform;
	public final String description;
	public final List<String> dependencies;

	public SiteFile(String path, String checksum, String timestamp, long size, String platform, String description,
		List<String> dependencies)
	{
		if (!path.matches("[A-Za-z0-9._/+-]+") || path.startsWith("/") || path.contains(".."))
			throw new IllegalArgumentException("unsuitable path for an update site: " + path);
		if (!checksum.matches("[0-9a-f]{40}")) throw new IllegalArgumentException("not a SHA-1: " + checksum);
		if (!timestamp.matches("\\d{14}")) throw new IllegalArgumentException("timestamp must be yyyyMMddHHmmss: " + timestamp);
		this.path = path;
		this.checksum = checksum;
		this.timestamp = timestamp;
		this.size = size;
		this.platform = platform;
		this.description = description;
		this.dependencies = Collections.unmodifiableList(new ArrayList<>(dependencies));
	}

	/** Where the file lies on the update site: {@code <path>-<timestamp>}. */
	public String sitePath() {
		return path + "-" + timestamp;
	}

	@Override
	public String toString() {
		return path + " (" + size + " bytes, " + checksum + (platform == null ? "" : ", " + platform) + ")";
	}
}
