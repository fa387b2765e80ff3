package org.promptsr.engine;

/**
 * The model contract: a batch of RGB tiles, float32 [n, 3, h, w] in [0, 1] (row-major NCHW),
 * becomes [n, 3, s*h, s*w]. Implementations must be safe to call from several threads.
 */
public interface SuperResolutionModel {

	int scale();

	float[] apply(float[] nchw, int n, int h, int w);

	/** Human-readable description of where the model runs, e.g. "CPU". */
	default String device() {
		return "CPU";
	}
}
