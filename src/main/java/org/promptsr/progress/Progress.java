package org.promptsr.progress;

/** Progress and cancel for long work done in counted steps (tiles, LAM path steps). */
public interface Progress {
	Progress NONE = new Progress() {
		@Override
		public void stepDone(int done, int total) {}

		@Override
		public boolean isCanceled() {
			return false;
		}
	};

	void stepDone(int done, int total);

	/** Checked between steps; true stops the work with a CancellationException. */
	boolean isCanceled();
}
