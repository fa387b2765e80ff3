package org.promptsr.tiling;

/**
 * Tiles along one axis of length {@code size}: equal tiles of {@code min(tile, size)} pixels,
 * evenly spread so that neighbours overlap by at least {@code overlap} pixels.
 *
 * <p>Blending weight: inside a tile, an output pixel's weight ramps from 0 to 1 between
 * {@code overlap/4} and {@code 3*overlap/4} input pixels from each side shared with a neighbour
 * (sides on the image border keep weight 1). Pixels closer than {@code overlap/4} to a tile's
 * inner edge therefore come only from the neighbour, so a model whose receptive field radius is
 * below {@code overlap/4} gives exactly the untiled result, and a model with a wider (or global)
 * receptive field gets a smooth cross-fade instead of a seam.
 */
public final class TileLayout {
	public final int size;
	public final int tile;
	public final int overlap;
	private final int[] starts;

	private TileLayout(int size, int tile, int overlap, int[] starts) {
		this.size = size;
		this.tile = tile;
		this.overlap = overlap;
		this.starts = starts;
	}

	public static TileLayout of(int size, int tile, int overlap) {
		if (size < 1) throw new IllegalArgumentException("Image side must be at least 1 pixel, got " + size + ".");
		if (overlap < 0) throw new IllegalArgumentException("Overlap must be >= 0, got " + overlap + ".");
		if (tile <= 2 * overlap)
			throw new IllegalArgumentException("Tile size (" + tile + ") must be more than twice the overlap (" + overlap +
				"); use a larger tile or a smaller overlap.");
		int t = Math.min(tile, size);
		if (t == size) return new TileLayout(size, t, overlap, new int[] { 0 });
		int stride = t - overlap;
		int n = (size - t + stride - 1) / stride + 1;
		int[] starts = new int[n];
		for (int i = 0; i < n; i++)
			starts[i] = (int) Math.round((double) i * (size - t) / (n - 1));
		return new TileLayout(size, t, overlap, starts);
	}

	public int count() {
		return starts.length;
	}

	public int start(int i) {
		return starts[i];
	}

	/** Weight of tile {@code i} at input coordinate {@code u} (pixel centres at k + 0.5). */
	public double weight(int i, double u) {
		double w = 1;
		if (i > 0) w *= ramp(u - starts[i]);
		if (i < starts.length - 1) w *= ramp(starts[i] + tile - u);
		return w;
	}

	private double ramp(double distance) {
		if (overlap == 0) return 1;
		double r = (distance - overlap / 4.0) / (overlap / 2.0);
		return r <= 0 ? 0 : r >= 1 ? 1 : r;
	}
}
