package org.promptsr.convert;

import ij.ImagePlus;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.converter.Converters;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.ARGBType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;
import org.promptsr.tiling.PlaneInput;

/**
 * One plane of an ImagePlus wrapped (not copied) as ImgLib2 images, read as the model's three
 * normalised channels. A single-channel plane is given to the model as three equal channels.
 */
public final class PlaneView implements PlaneInput {
	private final int width;
	private final int height;
	private final RandomAccessibleInterval<? extends RealType<?>>[] channels;
	private final IntensityRange range;

	@SuppressWarnings("unchecked")
	public PlaneView(ImagePlus imp, int stackIndex, IntensityRange range) {
		this.width = imp.getWidth();
		this.height = imp.getHeight();
		this.range = range;
		Object pixels = imp.getStack().getPixels(stackIndex);
		RandomAccessibleInterval<? extends RealType<?>> gray;
		switch (imp.getType()) {
			case ImagePlus.GRAY8:
				gray = ArrayImgs.unsignedBytes((byte[]) pixels, width, height);
				break;
			case ImagePlus.GRAY16:
				gray = ArrayImgs.unsignedShorts((short[]) pixels, width, height);
				break;
			case ImagePlus.GRAY32:
				gray = ArrayImgs.floats((float[]) pixels, width, height);
				break;
			case ImagePlus.COLOR_RGB:
				RandomAccessibleInterval<ARGBType> argb = ArrayImgs.argbs((int[]) pixels, width, height);
				channels = new RandomAccessibleInterval[] { Converters.argbChannel(argb, 1),
					Converters.argbChannel(argb, 2), Converters.argbChannel(argb, 3) };
				return;
			default:
				throw new IllegalArgumentException("Unsupported image type; convert to 8-bit, 16-bit, 32-bit or RGB.");
		}
		channels = new RandomAccessibleInterval[] { gray, gray, gray };
	}

	@Override
	public int width() {
		return width;
	}

	@Override
	public int height() {
		return height;
	}

	@Override
	public void read(int x0, int y0, int w, int h, float[] dst, int offset) {
		long[] min = { x0, y0 };
		long[] max = { x0 + w - 1, y0 + h - 1 };
		int plane = w * h;
		for (int c = 0; c < 3; c++) {
			if (c > 0 && channels[c] == channels[0]) {
				System.arraycopy(dst, offset, dst, offset + c * plane, plane);
				continue;
			}
			Cursor<? extends RealType<?>> cursor = Views.flatIterable(Views.interval(channels[c], min, max)).cursor();
			int k = offset + c * plane;
			while (cursor.hasNext())
				dst[k++] = range.toModel(cursor.next().getRealDouble());
		}
	}
}
