package org.promptsr.metrics;

/**
 * How a single-channel image enters the Y-channel metrics. Published Set14 numbers differ by up
 * to ~0.1 dB on "bridge" depending on which one a paper used.
 */
public enum GrayConvention {
	/** Treat gray g as RGB (g, g, g): Y = 16 + 219 g / 255 (BasicSR's behaviour; the default). */
	REPLICATE,
	/**
	 * Y is the gray value itself; an RGB image compared with a gray one is brought onto the gray
	 * scale as (Y - 16) * 255 / 219 (MATLAB scripts that skip rgb2ycbcr for gray images).
	 */
	GRAY
}
