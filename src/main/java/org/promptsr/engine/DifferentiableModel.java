package org.promptsr.engine;

/**
 * A super-resolution model that can also give the gradient of a scalar objective of its output
 * with respect to its input (what LAM needs). Inputs and outputs are float32 NCHW in [0, 1].
 */
public interface DifferentiableModel {

	int scale();

	/** The objective's gradient with respect to the model's output, computed by the caller. */
	interface OutputGradient {
		/** @param y the output {@code [n, 3, outH, outW]}; returns dL/dy of the same length */
		float[] of(float[] y, int n, int outH, int outW);
	}

	/** forward(x) */
	float[] forward(float[] nchw, int n, int h, int w);

	/**
	 * Runs the model on {@code x} recording the graph, asks {@code objective} for dL/dy at the
	 * output, and returns dL/dx (the vector-Jacobian product), same shape as {@code x}.
	 */
	float[] inputGradient(float[] nchw, int n, int h, int w, OutputGradient objective);
}
