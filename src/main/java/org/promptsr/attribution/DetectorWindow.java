package org.promptsr.attribution;

/**
 * The output region LAM explains: top-left corner and size in super-resolved (SR) pixel coordinates.
 * The gradient detector differences each pixel with its right and lower neighbours, so the window
 * plus one column and one row must lie inside the SR image.
 */
public final class DetectorWindow {
	public final int x;
	public final int y;
	public final int width;
	public final int height;

	public DetectorWindow(int x, int y, int width, int height) {
		if (width < 1 || height < 1)
			throw new IllegalArgumentException("The LAM window must be at least 1x1 SR pixels, got " + width + "x" + height + ".");
		if (x < 0 || y < 0) throw new IllegalArgumentException("The LAM window's corner (" + x + ", " + y + ") must not be negative.");
		this.x = x;
		this.y = y;
		this.width = width;
		this.height = height;
	}

	public static DetectorWindow square(int x, int y, int size) {
		return new DetectorWindow(x, y, size, size);
	}

	/** Throws with a message for the user when the window (plus its neighbour row and column) leaves the SR image. */
	public void checkInside(int srWidth, int srHeight) {
		if (x + width + 1 > srWidth || y + height + 1 > srHeight)
			throw new IllegalArgumentException("The LAM window " + this + " does not fit in the " + srWidth + "x" + srHeight +
				" SR image: it needs x + width < " + srWidth + " and y + height < " + srHeight +
				" (SR coordinates, i.e. input coordinates times the scale).");
	}

	@Override
	public String toString() {
		return "(x=" + x + ", y=" + y + ", " + width + "x" + height + ")";
	}
}
