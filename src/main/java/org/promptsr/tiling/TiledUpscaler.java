package org.promptsr.tiling;

import org.promptsr.progress.Progress;
import org.promptsr.engine.SuperResolutionModel;

import java.util.Arrays;
import java.util.concurrent.CancellationException;

/**
 * Runs a model over a plane tile by tile and blends the overlaps (see {@link TileLayout}).
 * Works one row of tiles at a time: only a band of output rows one tile high is kept in memory,
 * and rows are handed to the {@link RowSink} as soon as no later tile can touch them.
 * Blending sums are kept in double, so equal contributions give back exactly the same float.
 */
public final class TiledUpscaler {
	private final SuperResolutionModel model;
	private final int tile;
	private final int overlap;
	private final int batch;

	public TiledUpscaler(SuperResolutionModel model, int tile, int overlap, int batch) {
		if (batch < 1) throw new IllegalArgumentException("Batch size must be at least 1, got " + batch + ".");
		TileLayout.of(4 * tile, tile, overlap); // validates tile against overlap
		this.model = model;
		this.tile = tile;
		this.overlap = overlap;
		this.batch = batch;
	}

	public int tilesFor(int width, int height) {
		return TileLayout.of(width, tile, overlap).count() * TileLayout.of(height, tile, overlap).count();
	}

	/**
	 * @param progress told after each tile with counts offset by {@code done0} out of {@code total}
	 * @throws CancellationException when {@code progress} asks to stop (checked before every batch)
	 */
	public void upscale(PlaneInput in, RowSink out, Progress progress, int done0, int total) {
		int s = model.scale();
		TileLayout xs = TileLayout.of(in.width(), tile, overlap);
		TileLayout ys = TileLayout.of(in.height(), tile, overlap);
		int tw = xs.tile, th = ys.tile;
		int outW = in.width() * s;
		int bandRows = th * s;
		double[][] sum = new double[3][bandRows * outW];
		double[] weight = new double[bandRows * outW];
		int bandTop = 0; // output row held at band index 0
		float[] input = new float[batch * 3 * th * tw];
		int done = done0;
		for (int j = 0; j < ys.count(); j++) {
			int ty = ys.start(j);
			for (int i0 = 0; i0 < xs.count(); i0 += batch) {
				if (progress.isCanceled()) throw new CancellationException("Canceled by the user.");
				int n = Math.min(batch, xs.count() - i0);
				for (int b = 0; b < n; b++)
					in.read(xs.start(i0 + b), ty, tw, th, input, b * 3 * th * tw);
				float[] result = model.apply(n == batch ? input : Arrays.copyOf(input, n * 3 * th * tw), n, th, tw);
				for (int b = 0; b < n; b++)
					accumulate(result, b, xs, i0 + b, ys, j, s, outW, bandTop, sum, weight);
				done += n;
				progress.stepDone(done, total);
			}
			int finalUntil = j + 1 < ys.count() ? ys.start(j + 1) * s : in.height() * s;
			int rows = finalUntil - bandTop;
			if (rows > 0) {
				emit(out, bandTop, rows, outW, sum, weight);
				shift(sum, weight, rows * outW);
				bandTop = finalUntil;
			}
		}
	}

	private static void accumulate(float[] result, int b, TileLayout xs, int i, TileLayout ys, int j, int s, int outW,
		int bandTop, double[][] sum, double[] weight)
	{
		int tw = xs.tile * s, th = ys.tile * s;
		int ox = xs.start(i) * s, oy = ys.start(j) * s;
		double[] wx = new double[tw];
		for (int x = 0; x < tw; x++)
			wx[x] = xs.weight(i, xs.start(i) + (x + 0.5) / s);
		int plane = th * tw;
		int base = b * 3 * plane;
		for (int y = 0; y < th; y++) {
			double wy = ys.weight(j, ys.start(j) + (y + 0.5) / s);
			if (wy == 0) continue;
			int row = (oy + y - bandTop) * outW + ox;
			for (int x = 0; x < tw; x++) {
				double w = wy * wx[x];
				if (w == 0) continue;
				int src = base + y * tw + x;
				sum[0][row + x] += w * result[src];
				sum[1][row + x] += w * result[src + plane];
				sum[2][row + x] += w * result[src + 2 * plane];
				weight[row + x] += w;
			}
		}
	}

	private static void emit(RowSink out, int y0, int rows, int outW, double[][] sum, double[] weight) {
		int n = rows * outW;
		float[][] channels = new float[3][n];
		for (int k = 0; k < n; k++) {
			double w = weight[k];
			for (int c = 0; c < 3; c++)
				channels[c][k] = (float) (sum[c][k] / w);
		}
		out.accept(y0, rows, outW, channels);
	}

	private static void shift(double[][] sum, double[] weight, int by) {
		for (double[] a : sum) {
			System.arraycopy(a, by, a, 0, a.length - by);
			Arrays.fill(a, a.length - by, a.length, 0);
		}
		System.arraycopy(weight, by, weight, 0, weight.length - by);
		Arrays.fill(weight, weight.length - by, weight.length, 0);
	}
}
