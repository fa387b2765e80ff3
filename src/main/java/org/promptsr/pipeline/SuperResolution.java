package org.promptsr.pipeline;

import ij.ImagePlus;
import ij.ImageStack;
import ij.CompositeImage;
import ij.measure.Calibration;
import org.promptsr.convert.IntensityRange;
import org.promptsr.convert.OutputPlane;
import org.promptsr.convert.PlaneView;
import org.promptsr.engine.SuperResolutionModel;
import org.promptsr.progress.Progress;
import org.promptsr.tiling.TiledUpscaler;

/**
 * ImagePlus in, upscaled ImagePlus out: every channel, slice and frame, tiled, in the input's type
 * and calibration (pixel size divided by the scale). The input is only read. The result is built
 * off-screen and returned only when complete: a cancel or error returns nothing.
 */
public final class SuperResolution {
	private final SuperResolutionModel model;
	private final TileSettings tiles;

	public SuperResolution(SuperResolutionModel model, TileSettings tiles) {
		this.model = model;
		this.tiles = tiles;
	}

	/** Checks everything that can be checked before any work; throws with a message for the user. */
	public static void validate(ImagePlus imp, int scale) {
		if (imp == null) throw new IllegalArgumentException("No image: open an image first.");
		if (imp.getWidth() < 1 || imp.getHeight() < 1 || imp.getStackSize() < 1)
			throw new IllegalArgumentException("The image '" + imp.getTitle() + "' has no pixels (" + imp.getWidth() + "x" +
				imp.getHeight() + ").");
		if (scale < 2 || scale > 4) throw new IllegalArgumentException("Scale must be 2, 3 or 4, got " + scale + ".");
		long outPixels = (long) imp.getWidth() * scale * imp.getHeight() * scale;
		if (outPixels > Integer.MAX_VALUE)
			throw new IllegalArgumentException("x" + scale + " of this " + imp.getWidth() + "x" + imp.getHeight() +
				" image would give " + outPixels + " pixels per plane, more than ImageJ's limit of 2^31-1. " +
				"Crop the image into parts or use a smaller scale.");
		int type = imp.getType();
		if (type != ImagePlus.GRAY8 && type != ImagePlus.GRAY16 && type != ImagePlus.GRAY32 && type != ImagePlus.COLOR_RGB)
			throw new IllegalArgumentException("Unsupported image type: convert '" + imp.getTitle() +
				"' to 8-bit, 16-bit, 32-bit or RGB first (Image > Type).");
	}

	public int totalTiles(ImagePlus imp) {
		return imp.getStackSize() * new TiledUpscaler(model, tiles.tile, tiles.overlap, tiles.batch)
			.tilesFor(imp.getWidth(), imp.getHeight());
	}

	public ImagePlus upscale(ImagePlus imp, Progress progress) {
		int s = model.scale();
		validate(imp, s);
		int w = imp.getWidth(), h = imp.getHeight();
		int nc = imp.getNChannels(), nz = imp.getNSlices(), nt = imp.getNFrames();
		IntensityRange[] ranges = new IntensityRange[nc];
		for (int c = 1; c <= nc; c++)
			ranges[c - 1] = IntensityRange.of(imp, c);

		TiledUpscaler upscaler = new TiledUpscaler(model, tiles.tile, tiles.overlap, tiles.batch);
		int perPlane = upscaler.tilesFor(w, h);
		int total = perPlane * imp.getStackSize();
		ImageStack in = imp.getStack();
		ImageStack out = new ImageStack(w * s, h * s);
		int done = 0;
		for (int t = 1; t <= nt; t++)
			for (int z = 1; z <= nz; z++)
				for (int c = 1; c <= nc; c++) {
					int index = imp.getStackIndex(c, z, t);
					Object pixels = OutputPlane.allocate(imp.getType(), w * s, h * s);
					upscaler.upscale(new PlaneView(imp, index, ranges[c - 1]),
						new OutputPlane(imp.getType(), pixels, ranges[c - 1]), progress, done, total);
					done += perPlane;
					out.addSlice(in.getSliceLabel(index), pixels);
				}
		return wrap(imp, out, s);
	}

	/** The calibration of an image upscaled {@code s} times: pixel size / s, origin (in pixels) * s. */
	public static Calibration calibrationFor(Calibration input, int s) {
		Calibration cal = input.copy();
		cal.pixelWidth /= s;
		cal.pixelHeight /= s;
		cal.xOrigin *= s;
		cal.yOrigin *= s;
		return cal;
	}

	private static ImagePlus wrap(ImagePlus imp, ImageStack stack, int s) {
		ImagePlus result = new ImagePlus(titleFor(imp.getTitle(), s), stack);
		result.setDimensions(imp.getNChannels(), imp.getNSlices(), imp.getNFrames());
		if (imp.isHyperStack() || imp.getNDimensions() > 3) result.setOpenAsHyperStack(true);
		result.setCalibration(calibrationFor(imp.getCalibration(), s));
		if (imp.isComposite()) {
			CompositeImage composite = new CompositeImage(result, ((CompositeImage) imp).getMode());
			composite.setLuts(((CompositeImage) imp).getLuts());
			result = composite;
		}
		else if (imp.getType() != ImagePlus.COLOR_RGB) {
			result.getProcessor().setColorModel(imp.getProcessor().getColorModel());
			result.setDisplayRange(imp.getDisplayRangeMin(), imp.getDisplayRangeMax());
		}
		result.setProperty("Info", "Upscaled x" + s + " by PromptSR for Fiji from '" + imp.getTitle() + "'");
		return result;
	}

	/** "cells.tif" -> "cells-x4.tif" */
	public static String titleFor(String title, int s) {
		String t = title == null || title.isEmpty() ? "image" : title;
		int dot = t.lastIndexOf('.');
		boolean ext = dot > 0 && t.length() - dot <= 5;
		return (ext ? t.substring(0, dot) : t) + "-x" + s + (ext ? t.substring(dot) : "");
	}
}
