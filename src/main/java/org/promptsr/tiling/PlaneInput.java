package org.promptsr.tiling;

/** One 2D plane as the model sees it: three channels of normalised values. */
public interface PlaneInput {
	int width();

	int height();

	/** Writes the region's three channels, each h*w row-major, into {@code dst} from {@code offset}. */
	void read(int x0, int y0, int w, int h, float[] dst, int offset);
}
