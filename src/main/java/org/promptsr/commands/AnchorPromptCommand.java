package org.promptsr.commands;

import ij.ImagePlus;
import ij.WindowManager;
import ij.measure.ResultsTable;
import org.promptsr.engine.DeviceChoice;
import org.promptsr.engine.ModelLocator;
import org.promptsr.engine.TorchScriptModel;
import org.promptsr.prompts.AnchorPromptAnalysis;
import org.promptsr.prompts.PromptExport;
import org.promptsr.prompts.PromptFeatures;
import org.promptsr.prompts.PromptImages;
import org.promptsr.prompts.PromptInput;
import org.promptsr.prompts.PromptPlots;
import org.promptsr.prompts.PromptResult;
import org.promptsr.prompts.Tsne;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import java.awt.GraphicsEnvironment;
import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * Plugins > PromptSR > Anchor Prompt t-SNE: the anchor prompts P^1..P^4 of a folder of images
 * (subfolders = categories) or of the open images, embedded with t-SNE as in the paper's Fig. 11;
 * see {@link AnchorPromptAnalysis}. Macro form (keys unique ignoring case):
 * {@code run("Anchor Prompt t-SNE", "source=Folder image_folder=[/data/train] model=PromptSR model_file=[] scale=2 size=64 fit=resize features=pooled perplexity=30 iterations=1000 seed=42 output_folder=[] device=auto");}
 */
@Plugin(type = Command.class, menuPath = "Plugins>PromptSR>Anchor Prompt t-SNE", headless = true)
public class AnchorPromptCommand extends PromptSRCommand {

	public static final String FOLDER_SOURCE = "Folder";
	public static final String OPEN_IMAGES_SOURCE = "Open images";
	public static final String TABLE_TITLE = "PromptSR anchor prompts";

	@Parameter(label = "Images", choices = { FOLDER_SOURCE, OPEN_IMAGES_SOURCE },
		description = "A folder with one subfolder per category, or every open image (category: the folder it came from)")
	private String source = FOLDER_SOURCE;

	@Parameter(label = "Image folder (for 'Folder')", required = false, style = "directory")
	private File image_folder;

	@Parameter(label = "Model", choices = { ModelLocator.PROMPTSR, ModelLocator.PROMPTSR_STAR, SuperResolutionCommand.FILE_CHOICE })
	private String model = ModelLocator.PROMPTSR;

	@Parameter(label = "Model file (for 'File')", required = false, style = "extensions:pt")
	private File model_file;

	@Parameter(label = "Scale (which PromptSR model)", min = "2", max = "4")
	private int scale = 2;

	@Parameter(label = "LR size (pixels)", min = "16", max = "1024",
		description = "Every image becomes a size x size LR input, so all give vectors of the same length")
	private int size = PromptInput.DEFAULT_SIZE;

	@Parameter(label = "Fit", choices = { "resize", "crop" },
		description = "resize: centred square, bicubic to size x size; crop: bicubic 1/scale, then a centred size x size crop")
	private String fit = "resize";

	@Parameter(label = "Vectors", choices = { "pooled", "flattened" },
		description = "pooled: mean of P over its anchors (48 values); flattened: all anchors x 48 values")
	private String features = "pooled";

	@Parameter(label = "Perplexity", min = "1")
	private double perplexity = Tsne.DEFAULT_PERPLEXITY;

	@Parameter(label = "Iterations", min = "1")
	private int iterations = Tsne.DEFAULT_ITERATIONS;

	@Parameter(label = "Seed")
	private long seed = Tsne.DEFAULT_SEED;

	@Parameter(label = "Output folder (optional)", required = false, style = "directory",
		description = "If given: tsne.csv, features.bin/.json, both plots as PNG and summary.txt")
	private File output_folder;

	@Parameter(label = "Device", choices = { "auto", "cpu", "gpu" })
	private String device = "auto";

	@Parameter(type = ItemIO.OUTPUT, label = PromptPlots.BY_RG_TITLE)
	private ImagePlus by_rg;

	@Parameter(type = ItemIO.OUTPUT, label = PromptPlots.BY_CATEGORY_TITLE)
	private ImagePlus by_category;

	@Parameter(type = ItemIO.OUTPUT, label = TABLE_TITLE)
	private ResultsTable table;

	@Parameter(type = ItemIO.OUTPUT, label = "Summary")
	private String summary;

	@Parameter
	private ModelService models;

	@Override
	protected String task() {
		return "Anchor prompt t-SNE";
	}

	@Override
	protected String canceledMessage() {
		return "Anchor prompt t-SNE canceled.";
	}

	@Override
	protected void compute() throws Exception {
		AnchorPromptAnalysis.Settings s = new AnchorPromptAnalysis.Settings();
		PromptInput.checkSize(size);
		s.size = size;
		s.fit = PromptInput.Fit.parse(fit);
		s.features = PromptFeatures.Mode.parse(features);
		s.perplexity = perplexity;
		s.iterations = iterations;
		s.seed = seed;
		List<PromptImages.Item> items = items();
		String choice = ModelChoice.of(model, model_file);
		TorchScriptModel loaded = models.model(choice, scale, DeviceChoice.parse(device));
		if (log != null) log.info("PromptSR anchor prompts: " + loaded.path().getFileName() + " on " + loaded.device() +
			", " + items.size() + " images");
		PromptResult r = new AnchorPromptAnalysis(loaded::anchorPrompts, loaded.scale(), s)
			.modelName(loaded.path().toString()).run(items, listener());
		by_rg = PromptPlots.byGroup(r);
		by_category = PromptPlots.byCategory(r);
		table = r.toResultsTable();
		summary = r.summary();
		if (output_folder != null && !output_folder.getPath().isEmpty()) {
			PromptExport.writeAll(r, output_folder.toPath());
			summary += "written to " + output_folder + "\n";
		}
		if (log != null) log.info(summary);
		if (!GraphicsEnvironment.isHeadless()) table.show(TABLE_TITLE);
	}

	private List<PromptImages.Item> items() throws java.io.IOException {
		if (OPEN_IMAGES_SOURCE.equals(source)) {
			List<ImagePlus> open = new ArrayList<>();
			int[] ids = WindowManager.getIDList();
			if (ids != null)
				for (int id : ids) {
					ImagePlus imp = WindowManager.getImage(id);
					if (imp != null) open.add(imp);
				}
			return PromptImages.fromImages(open);
		}
		if (image_folder == null || image_folder.getPath().isEmpty())
			throw new IllegalArgumentException("No image folder given: choose a folder with one subfolder of images per category.");
		return PromptImages.fromFolder(image_folder.toPath());
	}

	@Override
	protected void clearOutputs() {
		by_rg = null;
		by_category = null;
		table = null;
		summary = null;
	}

	private AnchorPromptAnalysis.Listener listener() {
		return new AnchorPromptAnalysis.Listener() {
			@Override
			public void progress(String message, double fraction) {
				showProgress("PromptSR anchor prompts: " + message, (int) Math.round(1000 * fraction), 1000);
			}

			@Override
			public boolean isCanceled() {
				return userCanceled();
			}
		};
	}
}
