package org.promptsr.commands;

import ij.ImagePlus;
import org.promptsr.engine.DeviceChoice;
import org.promptsr.engine.ModelLocator;
import org.promptsr.engine.TorchScriptModel;
import org.promptsr.pipeline.SuperResolution;
import org.promptsr.pipeline.TileSettings;
import org.promptsr.progress.Progress;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import java.io.File;

/**
 * Plugins > PromptSR > Super-Resolution. Recorded macro form (keys are unique ignoring case):
 * {@code run("Super-Resolution", "scale=4 model=PromptSR model_file=[] tile=128 overlap=16 device=auto");}
 */
@Plugin(type = Command.class, menuPath = "Plugins>PromptSR>Super-Resolution", headless = true)
public class SuperResolutionCommand extends PromptSRCommand {

	public static final String FILE_CHOICE = ModelChoice.FILE;

	@Parameter(label = "Image")
	private ImagePlus image;

	@Parameter(label = "Scale", min = "2", max = "4", description = "Upscaling factor: 2, 3 or 4")
	private int scale = 2;

	@Parameter(label = "Model", choices = { ModelLocator.PROMPTSR, ModelLocator.PROMPTSR_STAR, FILE_CHOICE })
	private String model = ModelLocator.PROMPTSR;

	@Parameter(label = "Model file (for 'File')", required = false, style = "extensions:pt")
	private File model_file;

	@Parameter(label = "Tile size (pixels)", min = "16", description = "Input tile side; smaller tiles need less memory")
	private int tile = TileSettings.DEFAULT_TILE;

	@Parameter(label = "Tile overlap (pixels)", min = "0")
	private int overlap = TileSettings.DEFAULT_OVERLAP;

	@Parameter(label = "Device", choices = { "auto", "cpu", "gpu" })
	private String device = "auto";

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus result;

	@Parameter
	private ModelService models;

	@Override
	protected void clearOutputs() {
		result = null;
	}

	@Override
	protected String task() {
		return "Super-resolution";
	}

	@Override
	protected void compute() throws Exception {
		SuperResolution.validate(image, scale);
		String choice = ModelChoice.of(model, model_file);
		DeviceChoice dev = DeviceChoice.parse(device);
		TorchScriptModel loaded = models.model(choice, scale, dev);
		if (log != null) log.info("PromptSR: " + loaded.path().getFileName() + " on " + loaded.device());
		TileSettings settings = new TileSettings(tile, overlap, loaded.onGpu() ? TileSettings.GPU_BATCH : 1);
		ImagePlus out = new SuperResolution(loaded, settings).upscale(image, progress());
		out.setProperty("Info", out.getProperty("Info") + "\nModel: " + loaded.path() + "\nDevice: " + loaded.device());
		result = out;
	}

	private Progress progress() {
		return new Progress() {
			@Override
			public void stepDone(int done, int total) {
				showProgress("PromptSR x" + scale + ": tile " + done + "/" + total, done, total);
			}

			@Override
			public boolean isCanceled() {
				return userCanceled();
			}
		};
	}
}
