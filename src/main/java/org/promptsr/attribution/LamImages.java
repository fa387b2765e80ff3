package org.promptsr.attribution;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.measure.ResultsTable;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import org.promptsr.convert.IntensityRange;
import org.promptsr.convert.PlaneView;
import org.promptsr.pipeline.SuperResolution;

/** Between ImageJ images and LAM's arrays: the input plane, and the result images and table row. */
public final class LamImages {
	private LamImages() {}

	/** The displayed plane (current channel, slice and frame) as the model's [3, h, w] input in [0, 1]. */
	public static float[] modelInput(ImagePlus imp) {
		int type = imp.getType();
		if (type != ImagePlus.GRAY8 && type != ImagePlus.GRAY16 && type != ImagePlus.GRAY32 && type != ImagePlus.COLOR_RGB)
			throw new IllegalArgumentException("Unsupported image type: convert '" + imp.getTitle() +
				"' to 8-bit, 16-bit, 32-bit or RGB first (Image > Type).");
		int w = imp.getWidth(), h = imp.getHeight();
		float[] x = new float[3 * w * h];
		new PlaneView(imp, imp.getCurrentSlice(), IntensityRange.of(imp, imp.getChannel())).read(0, 0, w, h, x, 0);
		return x;
	}

	/** The normalised map, 32-bit at input size, calibrated as the input. */
	public static ImagePlus mapImage(AttributionResult r, ImagePlus input) {
		ImagePlus imp = new ImagePlus(stem(input) + "-LAM", new FloatProcessor(r.width, r.height, r.map.clone()));
		imp.setCalibration(input.getCalibration().copy());
		imp.getProcessor().setMinAndMax(0, 1);
		info(imp, r);
		return imp;
	}

	/** The paper-style overlay at SR size, calibrated as the SR result. */
	public static ImagePlus overlayImage(AttributionResult r, float[] x, double alpha, ImagePlus input) {
		int[] rgb = AttributionOverlay.render(r, x, alpha);
		ImagePlus imp = new ImagePlus(stem(input) + "-LAM-overlay", new ColorProcessor(r.width * r.scale, r.height * r.scale, rgb));
		imp.setCalibration(SuperResolution.calibrationFor(input.getCalibration(), r.scale));
		info(imp, r);
		return imp;
	}

	/** The model's output F(x) (clipped to [0, 1], shown as RGB) with the window outlined and selected as a ROI. */
	public static ImagePlus superResolvedImage(AttributionResult r, ImagePlus input) {
		int w = r.width * r.scale, h = r.height * r.scale, plane = w * h;
		int[] rgb = new int[plane];
		for (int p = 0; p < plane; p++) {
			int packed = 0;
			for (int c = 0; c < 3; c++)
				packed = (packed << 8) | (int) Math.round(255 * Math.max(0, Math.min(1, r.superResolved[c * plane + p])));
			rgb[p] = packed;
		}
		ImagePlus imp = new ImagePlus(stem(input) + "-LAM-SR", new ColorProcessor(w, h, rgb));
		imp.setCalibration(SuperResolution.calibrationFor(input.getCalibration(), r.scale));
		imp.setRoi(new Roi(r.window.x, r.window.y, r.window.width, r.window.height));
		info(imp, r);
		return imp;
	}

	/** One row of the LAM Results table. */
	public static void addRow(ResultsTable table, String image, String model, AttributionResult r, LamSettings s, double seconds) {
		table.incrementCounter();
		table.addValue("Image", image);
		table.addValue("Model", model);
		table.addValue("x", r.window.x);
		table.addValue("y", r.window.y);
		table.addValue("width", r.window.width);
		table.addValue("height", r.window.height);
		table.addValue("sigma", s.sigma);
		table.addValue("steps", s.steps);
		table.addValue("kernel", s.kernel);
		table.addValue("DI", r.diffusionIndex);
		table.addValue("D(F(x))", r.detectorOutput);
		table.addValue("D(F(gamma0))", r.detectorBaseline);
		table.addValue("Sum of attributions", r.attributionSum);
		table.addValue("Completeness error %", 100 * r.completenessError());
		table.addValue("Seconds", seconds);
	}

	private static void info(ImagePlus imp, AttributionResult r) {
		imp.setProperty("Info", String.format("LAM window %s (SR pixels), x%d%nDI %.4f%n", r.window, r.scale, r.diffusionIndex));
	}

	private static String stem(ImagePlus imp) {
		return imp.getTitle().replaceFirst("\\.(tiff?|png|jpe?g)$", "");
	}
}
