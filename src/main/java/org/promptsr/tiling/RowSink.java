package org.promptsr.tiling;

/** Receives finished output rows, top to bottom, each exactly once. */
public interface RowSink {
	/**
	 * @param y0 first output row
	 * @param rows number of rows
	 * @param width output width
	 * @param channels three arrays of {@code rows * width} values (row-major), valid only during the call
	 */
	void accept(int y0, int rows, int width, float[][] channels);
}
