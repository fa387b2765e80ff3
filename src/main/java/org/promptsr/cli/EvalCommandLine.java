package org.promptsr.cli;

import org.promptsr.engine.DeviceChoice;
import org.promptsr.engine.ModelCache;
import org.promptsr.engine.ModelLocator;
import org.promptsr.engine.TorchScriptModel;
import org.promptsr.metrics.BenchmarkEvaluation;
import org.promptsr.metrics.GrayConvention;
import org.promptsr.pipeline.TileSettings;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;

/**
 * {@code promptsr eval --hr DIR --scale S [--model NAME|FILE] [--sr DIR] [--gray replicate|gray]
 * [--csv FILE] [--device D]}: Y-channel PSNR/SSIM of a benchmark folder, see
 * {@link BenchmarkEvaluation}.
 */
final class EvalCommandLine {
	static final String USAGE = "usage: promptsr eval --hr DIR --scale S [--model PromptSR|PromptSR*|NAME|FILE] [--sr DIR] " +
		"[--gray replicate|gray] [--csv FILE] [--device auto|cpu|gpu] [--tile N] [--overlap N]\n" +
		"  Y-channel PSNR/SSIM (scale pixels cropped on every side) against the HR images in DIR, cropped to a multiple of S.\n" +
		"  without --sr: LR = MATLAB bicubic downscale, SR = the model (default PromptSR), scored beside bicubic upscaling\n" +
		"  with --sr DIR: score the SR images in DIR; for HR NAME.png they are NAME, NAME_xS, NAMExS, NAME_SRxS or NAME-xS\n" +
		"    with .png, .tif or .tiff\n" +
		"  --gray: how gray images enter Y (replicate: as RGB (g,g,g), the default; gray: Y = g)\n" +
		"  --csv FILE: write image,psnr,ssim[,bicubic_psnr,bicubic_ssim]";

	private EvalCommandLine() {}

	static int run(String[] argv, PrintStream out) throws Exception {
		Args a = Args.parse(argv, 1, new HashSet<>(Arrays.asList("hr", "scale", "model", "sr", "gray", "csv", "device",
			"tile", "overlap")));
		if (!a.positionals.isEmpty())
			throw new IllegalArgumentException("unexpected argument '" + a.positionals.get(0) + "'; give folders with --hr and --sr");
		Path hr = Paths.get(a.require("hr"));
		int scale = a.getInt("scale", -1);
		if (scale < 1) throw new IllegalArgumentException("--scale is required (2, 3 or 4)");
		GrayConvention gray = parseGray(a.get("gray", "replicate"));
		BenchmarkEvaluation evaluation = new BenchmarkEvaluation(hr, scale, gray).listener(new BenchmarkEvaluation.Listener() {
			@Override
			public void scored(BenchmarkEvaluation.Row row) {
				out.println(row.line());
			}
		});
		BenchmarkEvaluation.Result result;
		if (a.options.containsKey("sr")) {
			if (a.options.containsKey("model"))
				throw new IllegalArgumentException("give either --sr (score existing SR images) or --model, not both");
			out.println("SR folder " + a.options.get("sr") + " against HR " + hr + ", x" + scale);
			result = evaluation.evaluateFolder(Paths.get(a.options.get("sr")));
		}
		else {
			try (ModelCache cache = new ModelCache()) {
				Path weights = ModelLocator.standard().resolve(a.get("model", ModelLocator.PROMPTSR), scale);
				TorchScriptModel model = cache.get(weights, DeviceChoice.parse(a.get("device", "auto")));
				out.println("model " + weights + " on " + model.device() + ", HR " + hr + ", x" + scale);
				TileSettings tiles = new TileSettings(a.getInt("tile", TileSettings.DEFAULT_TILE),
					a.getInt("overlap", TileSettings.DEFAULT_OVERLAP), model.onGpu() ? TileSettings.GPU_BATCH : 1);
				result = evaluation.evaluateModel(model, tiles);
			}
		}
		if (result.unmatchedLine() != null) out.println(result.unmatchedLine());
		if (a.options.containsKey("csv")) {
			Path csv = Paths.get(a.options.get("csv"));
			result.writeCsv(csv);
			out.println("table " + csv);
		}
		if (result.bicubicMeanLine() != null) out.println(result.bicubicMeanLine());
		out.println(result.meanLine());
		return 0;
	}

	static GrayConvention parseGray(String text) {
		switch (text.trim().toLowerCase(Locale.ROOT)) {
			case "replicate":
				return GrayConvention.REPLICATE;
			case "gray":
			case "grey":
				return GrayConvention.GRAY;
			default:
				throw new IllegalArgumentException("--gray must be replicate or gray, got '" + text + "'");
		}
	}
}
