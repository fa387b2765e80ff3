package org.promptsr.prompts;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileInfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The images of an analysis and their categories. From a folder: each subfolder is a category
 * holding the PNG/TIFF images anywhere below it (so {@code train/T91/HR/t1.png} is in category
 * {@code T91}); images directly in the folder form a category named after the folder. Order: the
 * folder's own images, then each subfolder by name, files by path. Hidden files and folders
 * (names starting with a dot) are skipped.
 */
public final class PromptImages {
	private PromptImages() {}

	/** One input image: a display name, its category and how to read it. */
	public static final class Item {
		public final String name;
		public final String category;
		private final Supplier<ImagePlus> reader;

		public Item(String name, String category, Supplier<ImagePlus> reader) {
			this.name = name;
			this.category = category;
			this.reader = reader;
		}

		public ImagePlus read() {
			return reader.get();
		}
	}

	public static boolean isImage(Path p) {
		String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
		return Files.isRegularFile(p) && !n.startsWith(".") && (n.endsWith(".tif") || n.endsWith(".tiff") || n.endsWith(".png"));
	}

	public static List<Item> fromFolder(Path folder) throws IOException {
		if (!Files.isDirectory(folder)) throw new IllegalArgumentException("not a folder: " + folder);
		List<Item> items = new ArrayList<>();
		List<Path> entries;
		try (Stream<Path> s = Files.list(folder)) {
			entries = s.sorted().collect(Collectors.toList());
		}
		String rootCategory = folder.toAbsolutePath().normalize().getFileName() == null ? "images"
			: folder.toAbsolutePath().normalize().getFileName().toString();
		for (Path p : entries)
			if (isImage(p)) items.add(fileItem(folder, p, rootCategory));
		for (Path dir : entries) {
			if (!Files.isDirectory(dir) || dir.getFileName().toString().startsWith(".")) continue;
			List<Path> files;
			try (Stream<Path> s = Files.walk(dir)) {
				files = s.filter(PromptImages::isImage).sorted().collect(Collectors.toList());
			}
			for (Path p : files)
				items.add(fileItem(folder, p, dir.getFileName().toString()));
		}
		if (items.isEmpty())
			throw new IllegalArgumentException("no PNG or TIFF images in " + folder + " or its subfolders " +
				"(expected one subfolder per category, e.g. T91/ and BSD200/)");
		return Collections.unmodifiableList(items);
	}

	private static Item fileItem(Path root, Path file, String category) {
		String name = root.relativize(file).toString().replace('\\', '/');
		return new Item(name, category, () -> {
			ImagePlus imp = IJ.openImage(file.toString());
			if (imp == null)
				throw new IllegalArgumentException("cannot read " + file + " as an image (BigTIFF and tiled TIFF are not supported)");
			return imp;
		});
	}

	/**
	 * Images already open (Fiji): named by title; the category is the name of the folder the image
	 * was opened from, or "open images" for images that were not read from a file.
	 */
	public static List<Item> fromImages(List<ImagePlus> images) {
		if (images.isEmpty()) throw new IllegalArgumentException("no images are open");
		List<Item> items = new ArrayList<>();
		for (ImagePlus imp : images) {
			FileInfo info = imp.getOriginalFileInfo();
			String category = "open images";
			if (info != null && info.directory != null && !info.directory.isEmpty()) {
				Path dir = java.nio.file.Paths.get(info.directory).getFileName();
				if (dir != null) category = dir.toString();
			}
			items.add(new Item(imp.getTitle(), category, () -> imp));
		}
		return Collections.unmodifiableList(items);
	}
}
