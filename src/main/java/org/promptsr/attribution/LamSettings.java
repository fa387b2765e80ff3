package org.promptsr.attribution;

/** The path's parameters (defaults from the LAM paper: sigma 1.2, 50 steps, 9x9 kernel) and the batch size. */
public final class LamSettings {
	public static final double DEFAULT_SIGMA = 1.2;
	public static final int DEFAULT_STEPS = 50;
	public static final int DEFAULT_KERNEL = 9;
	public static final int DEFAULT_WINDOW = 16;
	public static final double DEFAULT_ALPHA = 0.5;

	public final double sigma;
	public final int steps;
	public final int kernel;
	/** Path images per forward/backward pass; more uses more memory and saves little on a CPU. */
	public final int batch;

	public LamSettings(double sigma, int steps, int kernel, int batch) {
		if (batch < 1) throw new IllegalArgumentException("The LAM batch size must be at least 1, got " + batch + ".");
		this.sigma = sigma;
		this.steps = steps;
		this.kernel = kernel;
		this.batch = batch;
	}

	public static LamSettings defaults() {
		return new LamSettings(DEFAULT_SIGMA, DEFAULT_STEPS, DEFAULT_KERNEL, 1);
	}
}
