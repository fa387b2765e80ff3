package org.promptsr.cli;

import ij.ImagePlus;
import org.promptsr.engine.DeviceChoice;
import org.promptsr.engine.ModelCache;
import org.promptsr.engine.ModelLocator;
import org.promptsr.engine.TorchScriptModel;
import org.promptsr.pipeline.SuperResolution;
import org.promptsr.pipeline.TileSettings;
import org.promptsr.progress.Progress;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

/** {@code promptsr sr --scale S [--model NAME|FILE] [--tile N] [--overlap N] [--device D] INPUT... -o OUT} */
final class SrCommandLine {
	static final String USAGE = "usage: promptsr sr --scale 2|3|4 [--model PromptSR|PromptSR*|NAME|FILE] [--tile N] " +
		"[--overlap N] [--device auto|cpu|gpu] INPUT... -o OUT\n" +
		"  INPUT: TIFF/PNG files or folders; OUT: a folder (or a file name for a single input)";

	private SrCommandLine() {}

	static int run(String[] argv, PrintStream out) throws Exception {
		Args a = Args.parse(argv, 1, new HashSet<>(Arrays.asList("scale", "model", "tile", "overlap", "device", "o", "output")));
		int scale = a.getInt("scale", -1);
		if (scale < 2 || scale > 4) throw new IllegalArgumentException("--scale must be 2, 3 or 4");
		String outArg = a.options.containsKey("o") ? a.options.get("o") : a.require("output");
		List<Path> inputs = ImageFiles.expand(a.positionals);
		Path outPath = Paths.get(outArg);
		boolean singleFile = inputs.size() == 1 && ImageFiles.isImage(outPath) && !Files.isDirectory(outPath);
		try (ModelCache cache = new ModelCache()) {
			Path weights = ModelLocator.standard().resolve(a.get("model", ModelLocator.PROMPTSR), scale);
			TorchScriptModel model = cache.get(weights, DeviceChoice.parse(a.get("device", "auto")));
			if (model.scale() != scale)
				throw new IllegalArgumentException("model " + weights.getFileName() + " upscales x" + model.scale() + ", not x" + scale);
			out.println("model " + weights + " on " + model.device());
			TileSettings tiles = new TileSettings(a.getInt("tile", TileSettings.DEFAULT_TILE),
				a.getInt("overlap", TileSettings.DEFAULT_OVERLAP), model.onGpu() ? TileSettings.GPU_BATCH : 1);
			SuperResolution sr = new SuperResolution(model, tiles);
			for (Path in : inputs) {
				ImagePlus imp = ImageFiles.read(in);
				long t0 = System.nanoTime();
				ImagePlus result = sr.upscale(imp, Progress.NONE);
				Path target = singleFile ? outPath
					: outPath.resolve(ImageFiles.stem(in) + "-x" + scale + ImageFiles.extensionFor(imp, in));
				ImageFiles.write(result, target);
				out.printf("%s -> %s (%dx%d -> %dx%d, %.1f s)%n", in, target, imp.getWidth(), imp.getHeight(),
					result.getWidth(), result.getHeight(), (System.nanoTime() - t0) / 1e9);
			}
		}
		return 0;
	}
}
