package org.promptsr.attribution;

/** Progress per path step and cancel for a LAM computation. */
public interface PathProgress {
	PathProgress NONE = new PathProgress() {
		@Override
		public void stepDone(int done, int total) {}

		@Override
		public boolean isCanceled() {
			return false;
		}
	};

	void stepDone(int done, int total);

	boolean isCanceled();
}
