package org.promptsr.commands;

import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.Roi;
import ij.measure.ResultsTable;
import org.promptsr.attribution.AttributionResult;
import org.promptsr.attribution.DetectorWindow;
import org.promptsr.attribution.LamImages;
import org.promptsr.attribution.LamSettings;
import org.promptsr.attribution.LocalAttribution;
import org.promptsr.progress.Progress;
import org.promptsr.engine.ModelLocator;
import org.promptsr.engine.TorchScriptGradients;
import org.promptsr.pipeline.SuperResolution;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.io.File;

/**
 * Plugins > PromptSR > LAM Attribution Map: which input pixels a window of the SR output depends on.
 * The window comes from x, y and window (SR pixels), or, with x = y = -1, from a rectangle drawn on
 * an open image of the SR size (e.g. the Super-Resolution result). Recorded macro form:
 * {@code run("LAM Attribution Map", "scale=4 model=PromptSR model_file=[] x=120 y=96 window=16 sigma=1.2 steps=50 kernel=9 alpha=0.5");}
 */
@Plugin(type = Command.class, menuPath = "Plugins>PromptSR>LAM Attribution Map", headless = true)
public class LamCommand extends PromptSRCommand {
	public static final String TABLE_TITLE = "LAM";

	@Parameter(label = "Input image (LR)", description = "LAM runs on the displayed plane; crop large images first (e.g. 64x64)")
	private ImagePlus image;

	@Parameter(label = "Scale", min = "2", max = "4")
	private int scale = 2; // as in the other commands (x2, x3 and x4 models are shipped; LAM studies usually use x4)

	@Parameter(label = "Model", choices = { ModelLocator.PROMPTSR, ModelLocator.PROMPTSR_STAR, SuperResolutionCommand.FILE_CHOICE })
	private String model = ModelLocator.PROMPTSR;

	@Parameter(label = "Model file (for 'File')", required = false, style = "extensions:pt")
	private File model_file;

	@Parameter(label = "Window x (SR pixels; -1: rectangle on the SR image)", min = "-1")
	private int x = -1;

	@Parameter(label = "Window y (SR pixels; -1: rectangle on the SR image)", min = "-1")
	private int y = -1;

	@Parameter(label = "Window size (SR pixels)", min = "1")
	private int window = LamSettings.DEFAULT_WINDOW;

	@Parameter(label = "Blur sigma", min = "0")
	private double sigma = LamSettings.DEFAULT_SIGMA;

	@Parameter(label = "Path steps", min = "1")
	private int steps = LamSettings.DEFAULT_STEPS;

	@Parameter(label = "Blur kernel size (odd)", min = "1")
	private int kernel = LamSettings.DEFAULT_KERNEL;

	@Parameter(label = "Overlay alpha", min = "0", max = "1")
	private double alpha = LamSettings.DEFAULT_ALPHA;

	@Parameter(type = ItemIO.OUTPUT, label = "Attribution map")
	private ImagePlus map;

	@Parameter(type = ItemIO.OUTPUT, label = "LAM overlay")
	private ImagePlus overlay;

	@Parameter(type = ItemIO.OUTPUT, label = "SR crop")
	private ImagePlus sr;

	@Parameter(type = ItemIO.OUTPUT, label = "LAM results")
	private ResultsTable table;

	@Override
	protected String task() {
		return "LAM";
	}

	@Override
	protected String canceledMessage() {
		return "LAM canceled; no map was created.";
	}

	@Override
	protected void compute() throws Exception {
		SuperResolution.validate(image, scale);
		DetectorWindow win = window();
		win.checkInside(image.getWidth() * scale, image.getHeight() * scale);
		LamSettings settings = new LamSettings(sigma, steps, kernel, 1);
		float[] input = LamImages.modelInput(image);
		String choice = ModelChoice.of(model, model_file);
		try (TorchScriptGradients loaded = TorchScriptGradients.load(ModelLocator.standard().resolve(choice, scale))) {
			if (loaded.scale() != scale)
				throw new IllegalArgumentException("Model " + loaded.path().getFileName() + " upscales x" + loaded.scale() +
					", not x" + scale + ". Choose scale " + loaded.scale() + " or another model.");
			if (log != null) log.info("LAM: " + loaded.path().getFileName() + ", window " + win + ", " + steps + " steps");
			long t0 = System.nanoTime();
			AttributionResult r = new LocalAttribution(loaded, settings).compute(input, image.getHeight(), image.getWidth(),
				win, progress());
			double seconds = (System.nanoTime() - t0) / 1e9;
			ImagePlus mapOut = LamImages.mapImage(r, image);
			ImagePlus overlayOut = LamImages.overlayImage(r, input, alpha, image);
			ImagePlus srOut = LamImages.superResolvedImage(r, image);
			ResultsTable t = new ResultsTable();
			LamImages.addRow(t, image.getTitle(), loaded.path().getFileName().toString(), r, settings, seconds);
			map = mapOut;
			overlay = overlayOut;
			sr = srOut;
			table = t;
			if (log != null) log.info(String.format("LAM DI=%.4f (%.1f s)", r.diffusionIndex, seconds));
			if (!GraphicsEnvironment.isHeadless()) table.show(TABLE_TITLE);
		}
	}

	@Override
	protected void clearOutputs() {
		map = null;
		overlay = null;
		sr = null;
		table = null;
	}

	private DetectorWindow window() {
		if (x >= 0 && y >= 0) return DetectorWindow.square(x, y, window);
		if (x >= 0 || y >= 0) throw new IllegalArgumentException("Give both x and y of the LAM window, or neither (-1) to use a rectangle.");
		int srW = image.getWidth() * scale, srH = image.getHeight() * scale;
		int[] ids = WindowManager.getIDList();
		if (ids != null)
			for (int id : ids) {
				ImagePlus candidate = WindowManager.getImage(id);
				if (candidate == null || candidate.getWidth() != srW || candidate.getHeight() != srH) continue;
				Roi roi = candidate.getRoi();
				if (roi == null || roi.getType() != Roi.RECTANGLE) continue;
				Rectangle b = roi.getBounds();
				return new DetectorWindow(b.x, b.y, b.width, b.height);
			}
		throw new IllegalArgumentException("No LAM window: give x and y (SR pixels), or draw a rectangle on an open " + srW + "x" + srH +
			" image (the x" + scale + " result of '" + image.getTitle() + "').");
	}

	private Progress progress() {
		return new Progress() {
			@Override
			public void stepDone(int done, int total) {
				showProgress("LAM: path step " + done + "/" + total, done, total);
			}

			@Override
			public boolean isCanceled() {
				return userCanceled();
			}
		};
	}
}
