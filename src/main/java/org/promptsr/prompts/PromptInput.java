package org.promptsr.prompts;

import ij.ImagePlus;
import ij.process.ImageProcessor;
import org.promptsr.metrics.MatlabBicubic;
import org.promptsr.metrics.UInt8Image;

import java.util.Locale;

/**
 * Turns an image into the fixed-size LR input that the anchor prompts are taken from, so that every
 * image gives vectors of the same length. Both ways make the LR image with MATLAB-style bicubic
 * downsampling, as the paper does for its t-SNE figure (section IV-E):
 * <ul>
 * <li>{@link Fit#RESIZE} (default): the largest centred square of the image, resized (bicubic,
 * antialiased when shrinking) to size x size. Every image fits; the scale factor varies with the
 * image size.</li>
 * <li>{@link Fit#CROP}: the image downscaled by the model's scale (the benchmark LR recipe: modcrop,
 * bicubic 1/s), then its centred size x size crop. Every image keeps the model's own scale; an
 * LR image smaller than size is an error.</li>
 * </ul>
 * The current plane of a stack is used. 8-bit and RGB images are taken as they are; 16- and 32-bit
 * images are first scaled to 8-bit by their display range. Gray values are replicated to R, G, B.
 */
public final class PromptInput {
	public static final int DEFAULT_SIZE = 64;
	public static final int MIN_SIZE = 16;
	public static final int MAX_SIZE = 1024;

	private PromptInput() {}

	public enum Fit {
		RESIZE, CROP;

		public String key() {
			return name().toLowerCase(Locale.ROOT);
		}

		public static Fit parse(String text) {
			String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
			if (t.equals("resize")) return RESIZE;
			if (t.equals("crop")) return CROP;
			throw new IllegalArgumentException("fit must be resize or crop, got '" + text + "'");
		}
	}

	public static void checkSize(int size) {
		if (size < MIN_SIZE || size > MAX_SIZE)
			throw new IllegalArgumentException("size must be between " + MIN_SIZE + " and " + MAX_SIZE + " LR pixels, got " + size);
	}

	/** The 8-bit gray or RGB plane shown for {@code imp}. */
	public static UInt8Image toUInt8(ImagePlus imp) {
		ImageProcessor ip = imp.getProcessor();
		ImagePlus plane;
		switch (imp.getType()) {
			case ImagePlus.GRAY16:
			case ImagePlus.GRAY32:
				plane = new ImagePlus(imp.getTitle(), ip.convertToByteProcessor(true));
				break;
			default:
				plane = new ImagePlus(imp.getTitle(), ip);
		}
		return UInt8Image.fromImagePlus(plane);
	}

	/** The LR image of size x size; {@code scale} is the model's (used by {@link Fit#CROP}). */
	public static UInt8Image fit(UInt8Image img, int size, Fit fit, int scale, String name) {
		checkSize(size);
		if (fit == Fit.CROP) {
			UInt8Image lr = MatlabBicubic.downscale(MatlabBicubic.modcrop(img, scale), scale);
			if (lr.width() < size || lr.height() < size)
				throw new IllegalArgumentException(name + " (" + img.sizeString() + ") gives a " + lr.sizeString() +
					" LR image at x" + scale + ", smaller than the size " + size + "; lower the size or use fit=resize");
			return centre(lr, size);
		}
		int side = Math.min(img.width(), img.height());
		UInt8Image square = centre(img, side);
		if (side == size) return square;
		double s = size / (double) side;
		while (Math.ceil(side * s) > size)
			s = Math.nextDown(s);
		UInt8Image resized = MatlabBicubic.resize(square, s);
		return resized.width() == size && resized.height() == size ? resized : centre(resized, size);
	}

	private static UInt8Image centre(UInt8Image img, int size) {
		if (img.width() == size && img.height() == size) return img;
		return img.crop((img.width() - size) / 2, (img.height() - size) / 2, size, size);
	}

	/** Float [1, 3, h, w] in [0, 1]; a gray image fills all three channels. */
	public static float[] toNchw(UInt8Image img) {
		int plane = img.width() * img.height();
		byte[] data = img.data();
		float[] out = new float[3 * plane];
		for (int c = 0; c < 3; c++) {
			int src = img.channels() == 1 ? 0 : c * plane;
			for (int i = 0; i < plane; i++)
				out[c * plane + i] = (data[src + i] & 0xff) / 255f;
		}
		return out;
	}
}
