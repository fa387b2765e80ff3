package org.promptsr.attribution;

import org.promptsr.progress.Progress;
import org.promptsr.engine.DifferentiableModel;

import java.util.concurrent.CancellationException;

/**
 * Local Attribution Maps (Gu and Dong, CVPR 2021) for any model with input gradients:
 * A = (1/N) sum_{k=1..N} grad_gamma D(F(gamma_k)) (.) d_k along the progressive-blur path
 * (see {@link BlurPath}), then the map |sum_c A_c| / max and its Diffusion Index.
 */
public final class LocalAttribution {
	private final DifferentiableModel model;
	private final LamSettings settings;

	public LocalAttribution(DifferentiableModel model, LamSettings settings) {
		this.model = model;
		this.settings = settings;
	}

	/**
	 * @param x the input as [3, height, width] in [0, 1]
	 * @throws CancellationException when {@code progress} says so (checked between batches of steps)
	 */
	public AttributionResult compute(float[] x, int height, int width, DetectorWindow window, Progress progress) {
		int s = model.scale();
		int outH = height * s, outW = width * s;
		window.checkInside(outW, outH);
		BlurPath path = new BlurPath(x, height, width, settings.sigma, settings.steps, settings.kernel);
		int n = settings.steps;
		int plane = 3 * height * width;
		int outPlane = 3 * outH * outW;
		double[] sum = new double[plane];
		double[] detector = new double[n + 1];
		float[] superResolved = null;

		for (int first = 1; first <= n; first += settings.batch) {
			if (progress.isCanceled()) throw new CancellationException("LAM canceled");
			int count = Math.min(settings.batch, n - first + 1);
			float[] batch = new float[count * plane];
			for (int b = 0; b < count; b++)
				System.arraycopy(path.image(first + b), 0, batch, b * plane, plane);
			final int start = first;
			float[][] output = new float[1][];
			float[] grad = model.inputGradient(batch, count, height, width, (y, m, h, w) -> {
				float[] dy = new float[y.length];
				for (int b = 0; b < m; b++) {
					detector[start + b] = GradientDetector.gradient(y, b * outPlane, h, w, window, dy);
				}
				output[0] = y;
				return dy;
			});
			for (int b = 0; b < count; b++) {
				float[] d = path.derivative(first + b);
				for (int i = 0; i < plane; i++) {
					double g = grad[b * plane + i];
					if (!Double.isNaN(g)) sum[i] += g * d[i];
				}
			}
			if (first + count - 1 == n) {
				superResolved = new float[outPlane];
				System.arraycopy(output[0], (count - 1) * outPlane, superResolved, 0, outPlane);
			}
			progress.stepDone(first + count - 1, n);
		}

		float[] attribution = new float[plane];
		double attributionSum = 0;
		for (int i = 0; i < plane; i++) {
			attribution[i] = (float) (sum[i] / n);
			attributionSum += sum[i] / n;
		}
		float[] map = normalisedMap(attribution, height * width);
		double baseline = GradientDetector.value(model.forward(path.image(0), 1, height, width), 0, outH, outW, window);
		return new AttributionResult(width, height, s, window, attribution, map, DiffusionIndex.of(map), detector[n], baseline,
			attributionSum, superResolved);
	}

	/** |sum_c A_c| / max (all zeros when the attribution vanishes). */
	static float[] normalisedMap(float[] attribution, int pixels) {
		float[] map = new float[pixels];
		double max = 0;
		for (int i = 0; i < pixels; i++) {
			double v = Math.abs((double) attribution[i] + attribution[pixels + i] + attribution[2 * pixels + i]);
			map[i] = (float) v;
			max = Math.max(max, v);
		}
		if (max > 0)
			for (int i = 0; i < pixels; i++)
				map[i] = (float) (map[i] / max);
		return map;
	}
}
