package org.promptsr.commands;

import ij.measure.ResultsTable;
import org.promptsr.engine.DeviceChoice;
import org.promptsr.engine.ModelLocator;
import org.promptsr.engine.TorchScriptModel;
import org.promptsr.metrics.BenchmarkEvaluation;
import org.promptsr.metrics.GrayConvention;
import org.promptsr.pipeline.TileSettings;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import java.awt.GraphicsEnvironment;
import java.io.File;

/**
 * Plugins > PromptSR > Evaluate PSNR/SSIM: Y-channel PSNR/SSIM on a benchmark folder, either of a
 * model (beside bicubic) or of the SR images in a folder; see {@link BenchmarkEvaluation}. Macro
 * form (keys unique ignoring case):
 * {@code run("Evaluate PSNR/SSIM", "hr_folder=[/data/Set5/HR] scale=2 model=[SR folder] model_file=[] sr_folder=[/results/Set5] gray=replicate device=auto");}
 */
@Plugin(type = Command.class, menuPath = "Plugins>PromptSR>Evaluate PSNR/SSIM", headless = true)
public class EvaluateCommand extends PromptSRCommand {

	public static final String FILE_CHOICE = SuperResolutionCommand.FILE_CHOICE;
	public static final String SR_FOLDER_CHOICE = "SR folder";
	public static final String TABLE_TITLE = "PromptSR evaluation";

	@Parameter(label = "HR folder", style = "directory", description = "Ground-truth images (PNG/TIFF, 8-bit gray or RGB), e.g. Set5/HR")
	private File hr_folder;

	@Parameter(label = "Scale", min = "2", max = "4", description = "Upscaling factor; also the border cropped before scoring")
	private int scale = 2;

	@Parameter(label = "Model", choices = { ModelLocator.PROMPTSR, ModelLocator.PROMPTSR_STAR, FILE_CHOICE, SR_FOLDER_CHOICE },
		description = "A model to run on MATLAB-bicubic LR images, or 'SR folder' to score existing SR images")
	private String model = ModelLocator.PROMPTSR;

	@Parameter(label = "Model file (for 'File')", required = false, style = "extensions:pt")
	private File model_file;

	@Parameter(label = "SR folder (for 'SR folder')", required = false, style = "directory",
		description = "For HR NAME.png: NAME, NAME_xS, NAMExS, NAME_SRxS or NAME-xS (.png/.tif/.tiff)")
	private File sr_folder;

	@Parameter(label = "Gray images", choices = { "replicate", "gray" },
		description = "replicate: Y of (g, g, g) as BasicSR; gray: Y = g as MATLAB scripts that skip rgb2ycbcr")
	private String gray = "replicate";

	@Parameter(label = "Device", choices = { "auto", "cpu", "gpu" })
	private String device = "auto";

	@Parameter(type = ItemIO.OUTPUT, label = "PromptSR evaluation")
	private ResultsTable table;

	@Parameter(type = ItemIO.OUTPUT, label = "Summary")
	private String summary;

	@Parameter
	private ModelService models;

	@Override
	protected String task() {
		return "PromptSR evaluation";
	}

	@Override
	protected String canceledMessage() {
		return "Evaluation canceled.";
	}

	@Override
	protected void compute() throws Exception {
		if (hr_folder == null || hr_folder.getPath().isEmpty())
			throw new IllegalArgumentException("No HR folder given: choose the folder with the ground-truth images (e.g. Set5/HR).");
		GrayConvention convention = "gray".equalsIgnoreCase(gray) ? GrayConvention.GRAY : GrayConvention.REPLICATE;
		BenchmarkEvaluation evaluation = new BenchmarkEvaluation(hr_folder.toPath(), scale, convention).listener(listener());
		BenchmarkEvaluation.Result result;
		if (SR_FOLDER_CHOICE.equals(model)) {
			if (sr_folder == null || sr_folder.getPath().isEmpty())
				throw new IllegalArgumentException("Model 'SR folder' was chosen but no SR folder was given.");
			result = evaluation.evaluateFolder(sr_folder.toPath());
		}
		else {
			String choice = ModelChoice.of(model, model_file);
			TorchScriptModel loaded = models.model(choice, scale, DeviceChoice.parse(device));
			if (log != null) log.info("PromptSR evaluation: " + loaded.path().getFileName() + " on " + loaded.device());
			result = evaluation.evaluateModel(loaded, new TileSettings(TileSettings.DEFAULT_TILE,
				TileSettings.DEFAULT_OVERLAP, loaded.onGpu() ? TileSettings.GPU_BATCH : 1));
		}
		table = result.toResultsTable();
		summary = result.summary();
		if (log != null) log.info(summary);
		if (!GraphicsEnvironment.isHeadless()) table.show(TABLE_TITLE);
	}

	@Override
	protected void clearOutputs() {
		table = null;
		summary = null;
	}

	private BenchmarkEvaluation.Listener listener() {
		return new BenchmarkEvaluation.Listener() {
			@Override
			public void progress(String message, double fraction) {
				showProgress("PromptSR evaluation: " + message, (int) Math.round(1000 * fraction), 1000);
			}

			@Override
			public boolean isCanceled() {
				return userCanceled();
			}
		};
	}
}
