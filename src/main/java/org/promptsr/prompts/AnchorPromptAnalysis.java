package org.promptsr.prompts;

import ij.ImagePlus;
import org.promptsr.metrics.UInt8Image;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * The paper's section IV-E as one run: anchor prompts P^1..P^4 of every image ({@link PromptInput},
 * {@link PromptExtractor}), a t-SNE map of all groups together (Fig. 11a: colour by group) and one
 * map per group (Fig. 11b/c: colour by image category), and silhouettes by group and by category,
 * in the maps and in the feature space. The Fiji command and the command line are thin fronts.
 */
public final class AnchorPromptAnalysis {

	/** What to extract and how to embed it. */
	public static final class Settings {
		public int size = PromptInput.DEFAULT_SIZE;
		public PromptInput.Fit fit = PromptInput.Fit.RESIZE;
		public PromptFeatures.Mode features = PromptFeatures.Mode.POOLED;
		public double perplexity = Tsne.DEFAULT_PERPLEXITY;
		public int iterations = Tsne.DEFAULT_ITERATIONS;
		public long seed = Tsne.DEFAULT_SEED;
		public double theta = Tsne.DEFAULT_THETA;

		Tsne tsne() {
			return new Tsne().perplexity(perplexity).iterations(iterations).seed(seed).theta(theta);
		}

		public String describe() {
			return String.format(java.util.Locale.ROOT, "LR %dx%d (fit %s), %s vectors; t-SNE perplexity %s, %d iterations, seed %d, theta %s",
				size, size, fit.key(), features.key(), trim(perplexity), iterations, seed, trim(theta));
		}
	}

	/** Progress (0..1) and cancellation, polled before every image and every t-SNE iteration. */
	public interface Listener {
		Listener NONE = new Listener() {};

		default void progress(String message, double fraction) {}

		default boolean isCanceled() {
			return false;
		}
	}

	/** Share of the progress bar given to extraction (the model is far slower than t-SNE here). */
	private static final double EXTRACTION_SHARE = 0.9;

	private final PromptExtractor.PromptModel model;
	private final int scale;
	private final Settings settings;
	private String modelName = "";

	/** {@code scale}: the model's upscaling factor (for {@link PromptInput.Fit#CROP}). */
	public AnchorPromptAnalysis(PromptExtractor.PromptModel model, int scale, Settings settings) {
		PromptInput.checkSize(settings.size);
		this.model = model;
		this.scale = scale;
		this.settings = settings;
	}

	public AnchorPromptAnalysis modelName(String name) {
		modelName = name;
		return this;
	}

	public PromptResult run(List<PromptImages.Item> items, Listener listener) {
		int n = items.size();
		if (n < 3) throw new IllegalArgumentException("the t-SNE needs at least 3 images, got " + n);
		PromptExtractor extractor = new PromptExtractor(model, settings.features);
		float[][][] features = new float[n][][];
		long t0 = System.nanoTime();
		for (int i = 0; i < n; i++) {
			PromptImages.Item item = items.get(i);
			if (listener.isCanceled()) throw new CancellationException("canceled");
			listener.progress("image " + (i + 1) + "/" + n + " " + item.name, EXTRACTION_SHARE * i / n);
			UInt8Image lr;
			try {
				ImagePlus imp = item.read();
				lr = PromptInput.fit(PromptInput.toUInt8(imp), settings.size, settings.fit, scale, item.name);
			}
			catch (IllegalArgumentException e) {
				String m = e.getMessage();
				throw new IllegalArgumentException(m != null && m.contains(item.name) ? m : item.name + ": " + m, e);
			}
			features[i] = extractor.extract(PromptInput.toNchw(lr), settings.size, settings.size);
			if (features[i].length != features[0].length || features[i][0].length != features[0][0].length)
				throw new IllegalStateException(item.name + " gave " + features[i].length + " groups of " + features[i][0].length +
					" values, the first image " + features[0].length + " of " + features[0][0].length);
		}
		double extractionSeconds = (System.nanoTime() - t0) / 1e9;

		int groups = features[0].length;
		Map<String, Integer> categoryIds = new LinkedHashMap<>();
		int[] category = new int[n];
		for (int i = 0; i < n; i++)
			category[i] = categoryIds.computeIfAbsent(items.get(i).category, c -> categoryIds.size());

		long t1 = System.nanoTime();
		double[][] all = new double[groups * n][];
		int[] groupOf = new int[groups * n];
		int[] categoryOf = new int[groups * n];
		for (int g = 0; g < groups; g++)
			for (int i = 0; i < n; i++) {
				all[g * n + i] = toDouble(features[i][g]);
				groupOf[g * n + i] = g;
				categoryOf[g * n + i] = category[i];
			}
		int total = (groups + 1) * settings.iterations;
		Tsne.Result joint = settings.tsne().embed(all, monitor(listener, "t-SNE of all groups", 0, total));
		Tsne.Result[] perGroup = new Tsne.Result[groups];
		for (int g = 0; g < groups; g++) {
			double[][] rows = java.util.Arrays.copyOfRange(all, g * n, g * n + n);
			perGroup[g] = settings.tsne().embed(rows, monitor(listener, "t-SNE of RG" + (g + 1), (g + 1) * settings.iterations, total));
		}
		double tsneSeconds = (System.nanoTime() - t1) / 1e9;

		listener.progress("silhouettes", 1);
		PromptResult.Silhouettes s = new PromptResult.Silhouettes(groups);
		s.groupsInMap = Silhouette.mean(joint.map, groupOf);
		s.groupsInFeatures = Silhouette.mean(all, groupOf);
		s.categoriesInMap = Silhouette.mean(joint.map, categoryOf);
		s.categoriesInFeatures = Silhouette.mean(all, categoryOf);
		for (int g = 0; g < groups; g++) {
			s.categoriesInGroupMap[g] = Silhouette.mean(perGroup[g].map, category);
			s.categoriesInGroupFeatures[g] = Silhouette.mean(java.util.Arrays.copyOfRange(all, g * n, g * n + n), category);
		}
		List<String> names = new ArrayList<>();
		List<String> categories = new ArrayList<>();
		for (PromptImages.Item item : items) {
			names.add(item.name);
			categories.add(item.category);
		}
		return new PromptResult(settings, modelName, names, categories, new ArrayList<>(categoryIds.keySet()), category, features,
			extractor.anchors(), extractor.channels(), joint, perGroup, s, extractionSeconds, tsneSeconds);
	}

	private static Tsne.Monitor monitor(Listener listener, String what, int before, int total) {
		return new Tsne.Monitor() {
			@Override
			public void iteration(int done, int all) {
				if (done % 50 == 0 || done == all)
					listener.progress(what + ": iteration " + done + "/" + all,
						EXTRACTION_SHARE + (1 - EXTRACTION_SHARE) * (before + done) / (double) total);
			}

			@Override
			public boolean isCanceled() {
				return listener.isCanceled();
			}
		};
	}

	private static double[] toDouble(float[] v) {
		double[] d = new double[v.length];
		for (int i = 0; i < v.length; i++)
			d[i] = v[i];
		return d;
	}

	static String trim(double v) {
		return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
	}
}
