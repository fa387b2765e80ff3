package org.promptsr.pipeline;

/** Tile size and overlap in input pixels, and tiles per model call (more than 1 pays off on GPU). */
public final class TileSettings {
	/** Defaults sized for CPU memory: a 128x128 tile of PromptSR needs about 1 GB at x4. */
	public static final int DEFAULT_TILE = 128;
	public static final int DEFAULT_OVERLAP = 16;
	public static final int GPU_BATCH = 4;

	public final int tile;
	public final int overlap;
	public final int batch;

	public TileSettings(int tile, int overlap, int batch) {
		if (tile < 8) throw new IllegalArgumentException("Tile size must be at least 8 pixels, got " + tile + ".");
		if (overlap < 0) throw new IllegalArgumentException("Overlap must be >= 0, got " + overlap + ".");
		if (tile <= 2 * overlap)
			throw new IllegalArgumentException("Tile size (" + tile + ") must be more than twice the overlap (" + overlap + ").");
		this.tile = tile;
		this.overlap = overlap;
		this.batch = batch;
	}

	public static TileSettings defaults() {
		return new TileSettings(DEFAULT_TILE, DEFAULT_OVERLAP, 1);
	}
}
