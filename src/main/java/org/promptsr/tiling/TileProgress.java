package org.promptsr.tiling;

/** Progress and cancel for long tiled work. */
public interface TileProgress {
	TileProgress NONE = new TileProgress() {
		@Override
		public void tileDone(int done, int total) {}

		@Override
		public boolean isCanceled() {
			return false;
		}
	};

	void tileDone(int done, int total);

	boolean isCanceled();
}
