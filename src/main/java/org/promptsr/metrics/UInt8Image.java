package org.promptsr.metrics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import ij.IJ;
import ij.ImagePlus;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.view.Views;

/**
 * An 8-bit image of height x width x channels (1 = gray, 3 = RGB), stored planar
 * ({@code data[(c * height + y) * width + x]}), which is the layout of an ImgLib2 {@link ArrayImg}
 * with dimensions (x, y, c), so {@link #asImg()} is a view without copying.
 */
public final class UInt8Image {

	private final int width;
	private final int height;
	private final int channels;
	private final byte[] data;

	public UInt8Image(final int width, final int height, final int channels) {
		this(width, height, channels, new byte[checkedSize(width, height, channels)]);
	}

	/** Wraps {@code data} (planar, see class comment) without copying. */
	public UInt8Image(final int width, final int height, final int channels, final byte[] data) {
		final int size = checkedSize(width, height, channels);
		if (data.length != size) throw new IllegalArgumentException("a " + width + " x " + height +
			" image with " + channels + " channel(s) needs " + size + " bytes, got " + data.length);
		this.width = width;
		this.height = height;
		this.channels = channels;
		this.data = data;
	}

	private static int checkedSize(final int width, final int height, final int channels) {
		if (width < 1 || height < 1 || channels < 1) throw new IllegalArgumentException(
			"image dimensions must be positive, got " + width + " x " + height + " x " + channels);
		final long size = (long) width * height * channels;
		if (size > Integer.MAX_VALUE) throw new IllegalArgumentException("image of " + width + " x " +
			height + " x " + channels + " is too large for one array");
		return (int) size;
	}

	public int width() {
		return width;
	}

	public int height() {
		return height;
	}

	public int channels() {
		return channels;
	}

	public boolean isGray() {
		return channels == 1;
	}

	/** The backing array (planar); changes write through. */
	public byte[] data() {
		return data;
	}

	public int get(final int x, final int y, final int c) {
		return data[(c * height + y) * width + x] & 0xff;
	}

	public void set(final int x, final int y, final int c, final int value) {
		data[(c * height + y) * width + x] = (byte) value;
	}

	/** "width x height" (plus the channel count when not 1), for messages. */
	public String sizeString() {
		return width + " x " + height + (channels == 1 ? " (gray)" : " x " + channels);
	}

	/** A copy of the rectangle starting at (x, y). */
	public UInt8Image crop(final int x, final int y, final int cropWidth, final int cropHeight) {
		if (x < 0 || y < 0 || cropWidth < 1 || cropHeight < 1 || x + cropWidth > width ||
			y + cropHeight > height) throw new IllegalArgumentException("crop " + cropWidth + " x " +
				cropHeight + " at (" + x + ", " + y + ") does not fit in a " + width + " x " + height +
				" image");
		final UInt8Image out = new UInt8Image(cropWidth, cropHeight, channels);
		for (int c = 0; c < channels; c++)
			for (int row = 0; row < cropHeight; row++)
				System.arraycopy(data, (c * height + y + row) * width + x, out.data,
					(c * cropHeight + row) * cropWidth, cropWidth);
		return out;
	}

	/** ImgLib2 view (x, y, c) sharing this image's array; the c dimension is kept for gray too. */
	public ArrayImg<UnsignedByteType, ByteArray> asImg() {
		return ArrayImgs.unsignedBytes(data, width, height, channels);
	}

	/** Copies a 2D (x, y) gray or 3D (x, y, c) image. */
	public static UInt8Image fromImg(final RandomAccessibleInterval<UnsignedByteType> img) {
		final int n = img.numDimensions();
		if (n != 2 && n != 3) throw new IllegalArgumentException(
			"expected a 2D (x, y) or 3D (x, y, channel) image, got " + n + " dimensions");
		final UInt8Image out = new UInt8Image(toInt(img.dimension(0)), toInt(img.dimension(1)),
			n == 3 ? toInt(img.dimension(2)) : 1);
		final Cursor<UnsignedByteType> cursor = Views.flatIterable(img).cursor();
		int i = 0;
		while (cursor.hasNext())
			out.data[i++] = (byte) cursor.next().get();
		return out;
	}

	private static int toInt(final long dimension) {
		if (dimension > Integer.MAX_VALUE) throw new IllegalArgumentException("dimension " +
			dimension + " is too large");
		return (int) dimension;
	}

	/**
	 * 8-bit gray stays gray; RGB, and 8-bit images with a colour or inverting lookup table, become
	 * three channels as displayed. Other types are rejected.
	 */
	public static UInt8Image fromImagePlus(final ImagePlus imp) {
		if (imp.getStackSize() != 1) throw new IllegalArgumentException("'" + imp.getTitle() +
			"' has " + imp.getStackSize() + " slices; give a single 2D image (RGB or 8-bit)");
		final ImageProcessor ip = imp.getProcessor();
		final int w = ip.getWidth();
		final int h = ip.getHeight();
		switch (imp.getType()) {
			case ImagePlus.GRAY8:
				if (!ip.isInvertedLut() && !ip.isColorLut()) {
					return new UInt8Image(w, h, 1, ((byte[]) ip.getPixels()).clone());
				}
				return fromColorProcessor(ip.convertToColorProcessor());
			case ImagePlus.COLOR_256:
				return fromColorProcessor(ip.convertToColorProcessor());
			case ImagePlus.COLOR_RGB:
				return fromColorProcessor((ColorProcessor) ip);
			default:
				throw new IllegalArgumentException("'" + imp.getTitle() + "' is " + imp.getBitDepth() +
					"-bit; PSNR/SSIM here need 8-bit gray or RGB images (Image > Type > 8-bit or RGB Color)");
		}
	}

	private static UInt8Image fromColorProcessor(final ColorProcessor cp) {
		final int w = cp.getWidth();
		final int h = cp.getHeight();
		final UInt8Image out = new UInt8Image(w, h, 3);
		final int plane = w * h;
		// planar R, G, B is exactly the layout getRGB fills
		final byte[] r = new byte[plane];
		final byte[] g = new byte[plane];
		final byte[] b = new byte[plane];
		cp.getRGB(r, g, b);
		System.arraycopy(r, 0, out.data, 0, plane);
		System.arraycopy(g, 0, out.data, plane, plane);
		System.arraycopy(b, 0, out.data, 2 * plane, plane);
		return out;
	}

	/** Reads a PNG (or any file ImageJ opens) as 8-bit gray or RGB. */
	public static UInt8Image open(final Path path) {
		if (!Files.isRegularFile(path)) throw new IllegalArgumentException("no image file at " + path);
		final ImagePlus imp = IJ.openImage(path.toString());
		if (imp == null) throw new IllegalArgumentException("ImageJ could not open " + path);
		return fromImagePlus(imp);
	}

	/** An 8-bit (1 channel) or RGB (3 channels) ImagePlus holding a copy of this image. */
	public ImagePlus toImagePlus(final String title) {
		final int plane = width * height;
		if (channels == 1) {
			return new ImagePlus(title, new ByteProcessor(width, height, data.clone()));
		}
		if (channels != 3) throw new IllegalArgumentException("only 1 or 3 channels convert to an " +
			"ImagePlus, this image has " + channels);
		final ColorProcessor cp = new ColorProcessor(width, height);
		cp.setRGB(Arrays.copyOfRange(data, 0, plane), Arrays.copyOfRange(data,
			plane, 2 * plane), Arrays.copyOfRange(data, 2 * plane, 3 * plane));
		return new ImagePlus(title, cp);
	}
}
