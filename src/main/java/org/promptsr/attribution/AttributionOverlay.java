package org.promptsr.attribution;

import org.promptsr.metrics.MatlabBicubic;

/**
 * The paper-style picture of a LAM result at SR size: the map coloured with 'seismic' at
 * 0.5 + 0.5 M, enlarged by nearest neighbour, blended with the bicubic-enlarged input
 * (result = (1 - alpha) input + alpha heat map), and the window outlined in red.
 */
public final class AttributionOverlay {
	private static final int WINDOW_COLOUR = 0xff0000;

	private AttributionOverlay() {}

	/** @param x the input [3, h, w] in [0, 1]; returns packed RGB pixels, (w * scale) x (h * scale). */
	public static int[] render(AttributionResult r, float[] x, double alpha) {
		if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("The overlay's alpha must be in [0, 1], got " + alpha + ".");
		int s = r.scale, w = r.width, h = r.height, outW = w * s, outH = h * s;
		double[] planar = new double[x.length];
		for (int i = 0; i < x.length; i++)
			planar[i] = x[i];
		double[] base = MatlabBicubic.resize(planar, w, h, 3, s);
		int plane = outW * outH;
		int[] rgb = new int[plane];
		for (int yy = 0; yy < outH; yy++)
			for (int xx = 0; xx < outW; xx++) {
				int p = yy * outW + xx;
				int heat = Seismic.rgb(0.5 + 0.5 * r.map[(yy / s) * w + xx / s]);
				int packed = 0;
				for (int c = 0; c < 3; c++) {
					double b = Math.round(255 * Math.max(0, Math.min(1, base[c * plane + p])));
					double m = (heat >> (16 - 8 * c)) & 0xff;
					packed = (packed << 8) | (int) Math.round((1 - alpha) * b + alpha * m);
				}
				rgb[p] = packed;
			}
		outline(rgb, outW, r.window, WINDOW_COLOUR);
		return rgb;
	}

	/** Draws the rectangle's one-pixel border (inside the window's bounds). */
	static void outline(int[] rgb, int width, DetectorWindow win, int colour) {
		int x1 = win.x + win.width - 1, y1 = win.y + win.height - 1;
		for (int xx = win.x; xx <= x1; xx++) {
			rgb[win.y * width + xx] = colour;
			rgb[y1 * width + xx] = colour;
		}
		for (int yy = win.y; yy <= y1; yy++) {
			rgb[yy * width + win.x] = colour;
			rgb[yy * width + x1] = colour;
		}
	}
}
