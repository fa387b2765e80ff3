package org.promptsr.attribution;

/** What one LAM computation gives. Arrays are planar, row-major. */
public final class AttributionResult {
	/** Input size (LR) and scale. */
	public final int width, height, scale;
	public final DetectorWindow window;
	/** The attribution A per input channel, [3, height, width]. */
	public final float[] attribution;
	/** The map |sum_c A_c| / max, [height, width], in [0, 1]. */
	public final float[] map;
	/** Diffusion Index of {@link #map}, 0..100. */
	public final double diffusionIndex;
	/** D(F(x)) and D(F(gamma_0)): the detector on the SR of the input and of the blurred baseline. */
	public final double detectorOutput, detectorBaseline;
	/** The sum of all attributions; the path integral makes it approach detectorOutput - detectorBaseline. */
	public final double attributionSum;
	/** The model's output F(x), [3, height*scale, width*scale], unclipped. */
	public final float[] superResolved;

	AttributionResult(int width, int height, int scale, DetectorWindow window, float[] attribution, float[] map,
		double diffusionIndex, double detectorOutput, double detectorBaseline, double attributionSum, float[] superResolved)
	{
		this.width = width;
		this.height = height;
		this.scale = scale;
		this.window = window;
		this.attribution = attribution;
		this.map = map;
		this.diffusionIndex = diffusionIndex;
		this.detectorOutput = detectorOutput;
		this.detectorBaseline = detectorBaseline;
		this.attributionSum = attributionSum;
		this.superResolved = superResolved;
	}

	/** |sum A - (D(F(x)) - D(F(gamma_0)))| / |D(F(x)) - D(F(gamma_0))|: how far the Riemann sum is from exact. */
	public double completenessError() {
		double delta = detectorOutput - detectorBaseline;
		return Math.abs(attributionSum - delta) / Math.abs(delta);
	}
}
