package org.promptsr.attribution;

/**
 * LAM's detector D(y): the sum, over the window and the three channels, of the gradient magnitude
 * sqrt((y[i,j] - y[i+1,j])^2 + (y[i,j] - y[i,j+1])^2) (REFERENCE.md section 7). It measures how
 * much edge and texture the network produced in the window.
 *
 * <p>Its gradient with respect to y is written out here, so the model only has to provide a
 * vector-Jacobian product. Where a magnitude is exactly 0 its derivative is undefined (autograd
 * would give NaN there and LAM then zeroes the whole step); this implementation takes 0 for that
 * term instead, which leaves every other term intact.
 */
public final class GradientDetector {
	private GradientDetector() {}

	/** D of the image {@code y} stored as [3, height, width] from {@code offset}. */
	public static double value(float[] y, int offset, int height, int width, DetectorWindow win) {
		win.checkInside(width, height);
		double sum = 0;
		for (int c = 0; c < 3; c++) {
			int base = offset + c * height * width;
			for (int i = win.y; i < win.y + win.height; i++)
				for (int j = win.x; j < win.x + win.width; j++) {
					int p = base + i * width + j;
					double a = y[p] - y[p + width];
					double b = y[p] - y[p + 1];
					sum += Math.sqrt(a * a + b * b);
				}
		}
		return sum;
	}

	/**
	 * Writes dD/dy for the image at {@code offset} into {@code dst} at the same offset (other values
	 * untouched) and returns D, computed in the same pass.
	 */
	public static double gradient(float[] y, int offset, int height, int width, DetectorWindow win, float[] dst) {
		win.checkInside(width, height);
		java.util.Arrays.fill(dst, offset, offset + 3 * height * width, 0f);
		double sum = 0;
		for (int c = 0; c < 3; c++) {
			int base = offset + c * height * width;
			for (int i = win.y; i < win.y + win.height; i++)
				for (int j = win.x; j < win.x + win.width; j++) {
					int p = base + i * width + j;
					double a = y[p] - y[p + width];
					double b = y[p] - y[p + 1];
					double t = Math.sqrt(a * a + b * b);
					sum += t;
					if (t == 0) continue;
					dst[p] += (float) ((a + b) / t);
					dst[p + width] -= (float) (a / t);
					dst[p + 1] -= (float) (b / t);
				}
		}
		return sum;
	}
}
