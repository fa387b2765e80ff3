package org.promptsr.cli;

import ij.ImagePlus;
import ij.process.ShortProcessor;
import org.promptsr.engine.DeviceChoice;
import org.promptsr.engine.DjlRuntime;
import org.promptsr.engine.ModelLocator;
import org.promptsr.engine.TorchScriptModel;
import org.promptsr.pipeline.SuperResolution;
import org.promptsr.pipeline.TileSettings;
import org.promptsr.prompts.Silhouette;
import org.promptsr.prompts.Tsne;
import org.promptsr.progress.Progress;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;

/**
 * {@code promptsr bench [--scale S] [--model M] [--size N] [--untiled N] [--rss]}: throughput on a
 * random N x N image with the default tiles, tiling overhead against one whole-image tile of an
 * (untiled) smaller image, and with {@code --rss} the peak resident memory after x4 of a
 * 2048x2048 16-bit image. Numbers, not pass/fail: compare with scripts/promptsr_torch/bench.py.
 * {@code promptsr bench --tsne N [--dim D] [--iterations I] [--theta T]} instead times the anchor-prompt
 * t-SNE alone on N synthetic points (4 Gaussian clusters, as 4 residual groups) of D dimensions.
 */
final class Benchmark {
	private Benchmark() {}

	static int run(String[] argv, PrintStream out) throws Exception {
		Args a = Args.parse(argv, 1, new HashSet<>(Arrays.asList("scale", "model", "size", "untiled", "tile", "overlap", "device",
			"tsne", "dim", "iterations", "theta")), new HashSet<>(Arrays.asList("rss")));
		if (a.options.containsKey("tsne")) return tsne(a, out);
		int scale = a.getInt("scale", 4);
		int size = a.getInt("size", 512);
		TorchScriptModel model = TorchScriptModel.load(ModelLocator.standard().resolve(a.get("model", ModelLocator.PROMPTSR), scale),
			DeviceChoice.parse(a.get("device", "cpu")));
		TileSettings tiles = new TileSettings(a.getInt("tile", TileSettings.DEFAULT_TILE),
			a.getInt("overlap", TileSettings.DEFAULT_OVERLAP), 1);
		out.printf("model %s, device %s, threads %s, %s%n", model.path().getFileName(), model.device(),
			System.getProperty("ai.djl.pytorch.num_threads"), DjlRuntime.oneDnn());
		ImagePlus img = random(size, 1);
		new SuperResolution(model, tiles).upscale(random(64, 2), Progress.NONE); // warm-up
		double t = time(new SuperResolution(model, tiles), img);
		out.printf("throughput: %dx%d x%d, tile %d overlap %d: %.2f s, %.4f LR MP/s%n", size, size, scale, tiles.tile,
			tiles.overlap, t, size * (double) size / 1e6 / t);
		int u = a.getInt("untiled", 256);
		ImagePlus small = random(u, 3);
		double tiled = time(new SuperResolution(model, tiles), small);
		double whole = time(new SuperResolution(model, new TileSettings(u, 0, 1)), small);
		out.printf("tiling overhead: %dx%d tiled %.2f s / untiled %.2f s = %.3f%n", u, u, tiled, whole, tiled / whole);
		if (a.options.containsKey("rss")) {
			ImagePlus big = random16(2048);
			double tb = time(new SuperResolution(model, tiles), big);
			out.printf("x%d of 2048x2048 16-bit: %.1f s, peak RSS %.2f GB%n", scale, tb, peakRssGb());
		}
		out.printf("peak RSS so far: %.2f GB%n", peakRssGb());
		model.close();
		return 0;
	}

	private static int tsne(Args a, PrintStream out) {
		int n = a.getInt("tsne", 4000), dim = a.getInt("dim", 48);
		if (n < 4 || dim < 1) throw new IllegalArgumentException("--tsne needs at least 4 points and --dim at least 1");
		Random r = new Random(1);
		double[][] centres = new double[4][dim];
		for (double[] c : centres)
			for (int k = 0; k < dim; k++)
				c[k] = 0.5 * r.nextGaussian();
		double[][] x = new double[n][dim];
		int[] labels = new int[n];
		for (int i = 0; i < n; i++) {
			labels[i] = i % 4;
			for (int k = 0; k < dim; k++)
				x[i][k] = centres[labels[i]][k] + r.nextGaussian();
		}
		Tsne tsne = new Tsne().iterations(a.getInt("iterations", Tsne.DEFAULT_ITERATIONS));
		if (a.options.containsKey("theta")) tsne.theta(Double.parseDouble(a.options.get("theta")));
		out.printf("t-SNE of %d synthetic points (4 Gaussian clusters) of %d dimensions, %d threads available%n", n, dim,
			Runtime.getRuntime().availableProcessors());
		long t0 = System.nanoTime();
		Tsne.Result result = tsne.embed(x);
		double seconds = (System.nanoTime() - t0) / 1e9;
		out.printf(java.util.Locale.ROOT, "t-SNE: %.1f s (perplexity %.4g, KL %.3f), silhouette of the map by cluster %.3f%n",
			seconds, result.perplexity, result.klDivergence, Silhouette.mean(result.map, labels));
		t0 = System.nanoTime();
		double input = Silhouette.mean(x, labels);
		out.printf(java.util.Locale.ROOT, "silhouette of the input by cluster %.3f: %.1f s%n", input, (System.nanoTime() - t0) / 1e9);
		return 0;
	}

	private static double time(SuperResolution sr, ImagePlus img) {
		long t0 = System.nanoTime();
		sr.upscale(img, Progress.NONE);
		return (System.nanoTime() - t0) / 1e9;
	}

	private static ImagePlus random(int size, long seed) {
		ij.process.ByteProcessor ip = new ij.process.ByteProcessor(size, size);
		Random r = new Random(seed);
		for (int i = 0; i < size * size; i++)
			ip.set(i, r.nextInt(256));
		ip.blurGaussian(1.0);
		return new ImagePlus("bench", ip);
	}

	private static ImagePlus random16(int size) {
		ShortProcessor ip = new ShortProcessor(size, size);
		Random r = new Random(4);
		for (int i = 0; i < size * size; i++)
			ip.set(i, 1000 + r.nextInt(3000));
		return new ImagePlus("bench16", ip);
	}

	static double peakRssGb() throws IOException {
		for (String line : Files.readAllLines(Paths.get("/proc/self/status")))
			if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0;
		return Double.NaN;
	}
}
