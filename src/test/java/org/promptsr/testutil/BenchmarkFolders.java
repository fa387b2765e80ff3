package org.promptsr.testutil;

import ij.ImagePlus;
import ij.io.FileSaver;
import org.promptsr.metrics.UInt8Image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/** Small synthetic benchmark folders (HR images, SR images) for the evaluation tests. */
public final class BenchmarkFolders {
	private BenchmarkFolders() {}

	/** Smooth content (a few sinusoids) plus a little noise, so bicubic beats nearest neighbour. */
	public static UInt8Image smooth(int w, int h, int channels, long seed) {
		Random r = new Random(seed);
		UInt8Image img = new UInt8Image(w, h, channels);
		for (int c = 0; c < channels; c++) {
			double fx = 0.05 + 0.2 * r.nextDouble(), fy = 0.05 + 0.2 * r.nextDouble(), phase = 6 * r.nextDouble();
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++) {
					double v = 128 + 70 * Math.sin(fx * x + phase) * Math.cos(fy * y) + 30 * Math.sin(0.03 * (x + 2 * y)) +
						4 * r.nextGaussian();
					img.set(x, y, c, (int) Math.max(0, Math.min(255, Math.round(v))));
				}
		}
		return img;
	}

	/** Writes PNG or TIFF (by the file name's extension); returns the path. */
	public static Path write(UInt8Image img, Path file) throws IOException {
		Files.createDirectories(file.toAbsolutePath().getParent());
		return write(img.toImagePlus(file.getFileName().toString()), file);
	}

	public static Path write(ImagePlus imp, Path file) throws IOException {
		Files.createDirectories(file.toAbsolutePath().getParent());
		String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
		FileSaver saver = new FileSaver(imp);
		boolean ok = n.endsWith(".png") ? saver.saveAsPng(file.toString()) : saver.saveAsTiff(file.toString());
		if (!ok || !Files.isRegularFile(file)) throw new IOException("could not write " + file);
		return file;
	}
}
