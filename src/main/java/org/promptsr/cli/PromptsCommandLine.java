package org.promptsr.cli;

import org.promptsr.engine.DeviceChoice;
import org.promptsr.engine.ModelCache;
import org.promptsr.engine.ModelLocator;
import org.promptsr.engine.TorchScriptModel;
import org.promptsr.prompts.AnchorPromptAnalysis;
import org.promptsr.prompts.PromptExport;
import org.promptsr.prompts.PromptFeatures;
import org.promptsr.prompts.PromptImages;
import org.promptsr.prompts.PromptInput;
import org.promptsr.prompts.PromptResult;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

/**
 * {@code promptsr prompts [--model NAME|FILE] [--size N] ... DIR -o OUT}: anchor prompts of every
 * image in DIR (subfolders = categories), t-SNE maps, silhouettes; see {@link AnchorPromptAnalysis}.
 */
final class PromptsCommandLine {
	static final String USAGE = "usage: promptsr prompts [--model PromptSR|PromptSR*|NAME|FILE] [--scale S] [--size N] " +
		"[--fit resize|crop] [--features pooled|flattened] [--perplexity P] [--iterations N] [--seed S] [--theta T] " +
		"[--device auto|cpu|gpu] DIR -o OUT\n" +
		"  anchor prompts P1..P4 (last CPB of each residual group) of the PNG/TIFF images in DIR, one subfolder per category\n" +
		"  --model: default PromptSR at --scale (default 2), i.e. promptsr-x2\n" +
		"  --size N: LR input side in pixels (default " + PromptInput.DEFAULT_SIZE + ")\n" +
		"  --fit resize: centred square, bicubic-resized to N x N (default); crop: bicubic 1/scale, then centred N x N crop\n" +
		"  --features pooled: mean over anchors, 48 values (default); flattened: anchors x 48 values\n" +
		"  --perplexity (default 30), --iterations (1000), --seed (42), --theta (0.5, Barnes-Hut; 0 = exact)\n" +
		"  writes OUT/" + PromptExport.CSV + ", " + PromptExport.FEATURES + " + " + PromptExport.FEATURES_JSON + ", " +
		PromptExport.BY_RG_PNG + ", " + PromptExport.BY_CATEGORY_PNG + ", " + PromptExport.SUMMARY + "; prints the silhouettes";

	private PromptsCommandLine() {}

	static int run(String[] argv, PrintStream out) throws Exception {
		Args a = Args.parse(argv, 1, new HashSet<>(Arrays.asList("model", "scale", "size", "fit", "features", "perplexity",
			"iterations", "seed", "theta", "device", "o", "out")));
		if (a.positionals.size() != 1)
			throw new IllegalArgumentException(a.positionals.isEmpty() ? "give the image folder (one subfolder per category)"
				: "give one image folder, got " + a.positionals);
		String o = a.options.containsKey("o") ? a.options.get("o") : a.options.get("out");
		if (o == null) throw new IllegalArgumentException("-o OUT (the output folder) is required");
		AnchorPromptAnalysis.Settings s = new AnchorPromptAnalysis.Settings();
		s.size = a.getInt("size", PromptInput.DEFAULT_SIZE);
		PromptInput.checkSize(s.size);
		s.fit = PromptInput.Fit.parse(a.get("fit", "resize"));
		s.features = PromptFeatures.Mode.parse(a.get("features", "pooled"));
		s.perplexity = getDouble(a, "perplexity", s.perplexity);
		s.iterations = a.getInt("iterations", s.iterations);
		s.seed = getLong(a, "seed", s.seed);
		s.theta = getDouble(a, "theta", s.theta);
		List<PromptImages.Item> items = PromptImages.fromFolder(Paths.get(a.positionals.get(0)));
		try (ModelCache cache = new ModelCache()) {
			Path weights = ModelLocator.standard().resolve(a.get("model", ModelLocator.PROMPTSR), a.getInt("scale", 2));
			TorchScriptModel model = cache.get(weights, DeviceChoice.parse(a.get("device", "auto")));
			out.println("model " + weights + " (x" + model.scale() + ") on " + model.device() + "; " + items.size() + " images");
			long t0 = System.nanoTime();
			PromptResult r = new AnchorPromptAnalysis(model::anchorPrompts, model.scale(), s).modelName(weights.toString())
				.run(items, new AnchorPromptAnalysis.Listener() {
					private String last = "";

					@Override
					public void progress(String message, double fraction) {
						// one line per image and per t-SNE map
						String head = message.startsWith("image") ? message : message.replaceFirst(":.*", "");
						if (!head.equals(last)) out.println(head);
						last = head;
					}
				});
			double total = (System.nanoTime() - t0) / 1e9;
			List<Path> files = PromptExport.writeAll(r, Paths.get(o));
			out.print(r.summary());
			out.printf(java.util.Locale.ROOT, "total %.1f s%n", total);
			for (Path f : files)
				out.println("wrote " + f);
		}
		return 0;
	}

	private static double getDouble(Args a, String key, double fallback) {
		String v = a.options.get(key);
		if (v == null) return fallback;
		try {
			return Double.parseDouble(v.trim());
		}
		catch (NumberFormatException e) {
			throw new IllegalArgumentException("--" + key + " must be a number, got '" + v + "'");
		}
	}

	private static long getLong(Args a, String key, long fallback) {
		String v = a.options.get(key);
		if (v == null) return fallback;
		try {
			return Long.parseLong(v.trim());
		}
		catch (NumberFormatException e) {
			throw new IllegalArgumentException("--" + key + " must be an integer, got '" + v + "'");
		}
	}
}
