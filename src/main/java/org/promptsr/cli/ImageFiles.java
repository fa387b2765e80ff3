package org.promptsr.cli;

import ij.IJ;
import ij.ImagePlus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Reading TIFF/PNG inputs and writing results in a format that keeps their bit depth. */
final class ImageFiles {
	private ImageFiles() {}

	static boolean isImage(Path p) {
		String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
		return n.endsWith(".tif") || n.endsWith(".tiff") || n.endsWith(".png");
	}

	/** Files as given, folders expanded to their TIFF/PNG files (sorted). */
	static List<Path> expand(List<String> inputs) throws IOException {
		List<Path> files = new ArrayList<>();
		for (String in : inputs) {
			Path p = Paths.get(in);
			if (Files.isDirectory(p)) {
				try (Stream<Path> s = Files.list(p)) {
					files.addAll(s.filter(ImageFiles::isImage).sorted().collect(Collectors.toList()));
				}
			}
			else if (Files.isRegularFile(p)) files.add(p);
			else throw new IllegalArgumentException("input not found: " + p);
		}
		if (files.isEmpty()) throw new IllegalArgumentException("no TIFF or PNG images in " + inputs);
		return files;
	}

	static ImagePlus read(Path p) {
		if (!isImage(p)) throw new IllegalArgumentException(p + " is not a TIFF or PNG file");
		ImagePlus imp = IJ.openImage(p.toString());
		if (imp == null) throw new IllegalArgumentException("cannot read " + p + " as an image (BigTIFF and tiled TIFF are not supported)");
		return imp;
	}

	/** PNG keeps 8-bit, 16-bit and RGB single planes; 32-bit data and stacks go to TIFF. */
	static String extensionFor(ImagePlus imp, Path input) {
		String n = input.getFileName().toString().toLowerCase(Locale.ROOT);
		boolean pngOk = imp.getStackSize() == 1 && imp.getBitDepth() != 32;
		return n.endsWith(".png") && pngOk ? ".png" : ".tif";
	}

	static void write(ImagePlus imp, Path out) throws IOException {
		Files.createDirectories(out.toAbsolutePath().getParent());
		String n = out.getFileName().toString().toLowerCase(Locale.ROOT);
		ij.io.FileSaver saver = new ij.io.FileSaver(imp);
		boolean ok = n.endsWith(".png") ? saver.saveAsPng(out.toString())
			: imp.getStackSize() > 1 ? saver.saveAsTiffStack(out.toString()) : saver.saveAsTiff(out.toString());
		if (!ok || !Files.exists(out)) throw new IOException("could not write " + out);
	}

	static String stem(Path p) {
		String n = p.getFileName().toString();
		int dot = n.lastIndexOf('.');
		return dot > 0 ? n.substring(0, dot) : n;
	}
}
