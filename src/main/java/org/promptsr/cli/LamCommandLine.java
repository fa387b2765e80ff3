package org.promptsr.cli;

import ij.ImagePlus;
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

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashSet;

/** {@code promptsr lam --model NAME|FILE --x X --y Y [--window 16] ... INPUT -o DIR} */
final class LamCommandLine {
	static final String USAGE = "usage: promptsr lam --model PromptSR|PromptSR*|NAME|FILE [--scale 2|3|4] --x X --y Y [--window 16] " +
		"[--sigma 1.2] [--steps 50] [--kernel 9] [--alpha 0.5] [--batch 1] INPUT -o DIR\n" +
		"  X, Y: top-left corner of the window in SR pixels (input pixels times the scale)\n" +
		"  writes DIR/NAME-LAM.tif (map, 32-bit), DIR/NAME-LAM-overlay.png, DIR/NAME-LAM-SR.png, DIR/NAME-LAM.csv; prints DI=...";

	private LamCommandLine() {}

	static int run(String[] argv, PrintStream out) throws Exception {
		Args a = Args.parse(argv, 1, new HashSet<>(Arrays.asList("model", "scale", "x", "y", "window", "sigma", "steps", "kernel",
			"alpha", "batch", "o", "output")));
		if (a.positionals.size() != 1) throw new IllegalArgumentException("give exactly one input image");
		int scale = a.getInt("scale", 4);
		String modelArg = a.require("model");
		DetectorWindow window = DetectorWindow.square(a.getInt("x", -1), a.getInt("y", -1), a.getInt("window", LamSettings.DEFAULT_WINDOW));
		LamSettings settings = new LamSettings(a.getDouble("sigma", LamSettings.DEFAULT_SIGMA),
			a.getInt("steps", LamSettings.DEFAULT_STEPS), a.getInt("kernel", LamSettings.DEFAULT_KERNEL), a.getInt("batch", 1));
		double alpha = a.getDouble("alpha", LamSettings.DEFAULT_ALPHA);
		Path dir = Paths.get(a.options.containsKey("o") ? a.options.get("o") : a.require("output"));
		Path input = Paths.get(a.positionals.get(0));
		ImagePlus imp = ImageFiles.read(input);
		SuperResolution.validate(imp, scale);
		float[] x = LamImages.modelInput(imp);

		try (TorchScriptGradients model = TorchScriptGradients.load(ModelLocator.standard().resolve(modelArg, scale))) {
			window.checkInside(imp.getWidth() * model.scale(), imp.getHeight() * model.scale());
			out.println("model " + model.path() + " (x" + model.scale() + "), window " + window + ", " + settings.steps + " steps");
			long t0 = System.nanoTime();
			AttributionResult r = new LocalAttribution(model, settings).compute(x, imp.getHeight(), imp.getWidth(), window,
				Progress.NONE);
			double seconds = (System.nanoTime() - t0) / 1e9;
			Files.createDirectories(dir);
			String stem = ImageFiles.stem(input);
			ImageFiles.write(LamImages.mapImage(r, imp), dir.resolve(stem + "-LAM.tif"));
			ImageFiles.write(LamImages.overlayImage(r, x, alpha, imp), dir.resolve(stem + "-LAM-overlay.png"));
			ImageFiles.write(LamImages.superResolvedImage(r, imp), dir.resolve(stem + "-LAM-SR.png"));
			ResultsTable table = new ResultsTable();
			LamImages.addRow(table, input.getFileName().toString(), model.path().getFileName().toString(), r, settings, seconds);
			table.save(dir.resolve(stem + "-LAM.csv").toString());
			out.printf("D(F(x))=%.6f D(F(gamma0))=%.6f sum(A)=%.6f completeness_error=%.2f%% seconds=%.1f " +
				"peak_rss_gb=%.2f%n", r.detectorOutput, r.detectorBaseline, r.attributionSum, 100 * r.completenessError(), seconds,
				Benchmark.peakRssGb());
			out.printf("DI=%.4f%n", r.diffusionIndex);
			out.println("wrote " + dir.resolve(stem + "-LAM.tif") + ", -LAM-overlay.png, -LAM-SR.png, -LAM.csv");
		}
		return 0;
	}
}
