package org.promptsr.prompts;

import ij.ImagePlus;
import ij.gui.Plot;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;

import java.awt.Color;

/**
 * The two scatter plots of Fig. 11 as ImageJ plots (they render headless): the joint map coloured
 * by residual group (11a), and one map per group coloured by image category (11b/c), tiled.
 */
public final class PromptPlots {
	public static final String BY_RG_TITLE = "Anchor prompts t-SNE by RG";
	public static final String BY_CATEGORY_TITLE = "Anchor prompts t-SNE by category";

	/** Ten distinguishable colours, cycled for more series. */
	private static final Color[] PALETTE = { new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
		new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
		new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207) };

	private PromptPlots() {}

	public static Color colour(int series) {
		return PALETTE[series % PALETTE.length];
	}

	/** Fig. 11a: all groups in one map, one colour per group. */
	public static Plot byGroupPlot(PromptResult r) {
		int n = r.images.size();
		Plot plot = new Plot(BY_RG_TITLE, "t-SNE 1", "t-SNE 2");
		plot.setFrameSize(520, 520);
		StringBuilder legend = new StringBuilder();
		for (int g = 0; g < r.groups(); g++) {
			double[] x = new double[n], y = new double[n];
			for (int i = 0; i < n; i++) {
				x[i] = r.joint.map[g * n + i][0];
				y[i] = r.joint.map[g * n + i][1];
			}
			plot.setColor(colour(g), colour(g));
			plot.addPoints(x, y, Plot.CIRCLE);
			legend.append(g > 0 ? "\n" : "").append("P").append(g + 1).append(" (RG").append(g + 1).append(")");
		}
		plot.setColor(Color.BLACK);
		plot.addLegend(legend.toString());
		fitLimits(plot, r.joint.map);
		plot.addLabel(0, 0, String.format(java.util.Locale.ROOT, "silhouette by RG %.3f", r.silhouettes.groupsInMap));
		return plot;
	}

	/** Group g's own map, one colour per category. */
	public static Plot byCategoryPlot(PromptResult r, int g) {
		int n = r.images.size();
		Plot plot = new Plot("RG" + (g + 1), "t-SNE 1", "t-SNE 2");
		plot.setFrameSize(360, 360);
		StringBuilder legend = new StringBuilder();
		for (int c = 0; c < r.categoryNames.size(); c++) {
			int count = 0;
			for (int id : r.categoryIds)
				if (id == c) count++;
			double[] x = new double[count], y = new double[count];
			int k = 0;
			for (int i = 0; i < n; i++)
				if (r.categoryIds[i] == c) {
					x[k] = r.perGroup[g].map[i][0];
					y[k++] = r.perGroup[g].map[i][1];
				}
			plot.setColor(colour(c), colour(c));
			plot.addPoints(x, y, Plot.CIRCLE);
			legend.append(c > 0 ? "\n" : "").append(r.categoryNames.get(c));
		}
		plot.setColor(Color.BLACK);
		plot.addLegend(legend.toString());
		fitLimits(plot, r.perGroup[g].map);
		double s = r.silhouettes.categoriesInGroupMap[g];
		plot.addLabel(0, 0, "P" + (g + 1) + " alone; silhouette by category " +
			(Double.isNaN(s) ? "n/a" : String.format(java.util.Locale.ROOT, "%.3f", s)));
		return plot;
	}

	/** All points in view with a 5 % margin (a plot's own limits follow its first series only). */
	private static void fitLimits(Plot plot, double[][] map) {
		double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY;
		double minY = Double.POSITIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
		for (double[] p : map) {
			minX = Math.min(minX, p[0]);
			maxX = Math.max(maxX, p[0]);
			minY = Math.min(minY, p[1]);
			maxY = Math.max(maxY, p[1]);
		}
		double mx = 0.05 * Math.max(maxX - minX, 1e-9), my = 0.05 * Math.max(maxY - minY, 1e-9);
		plot.setLimits(minX - mx, maxX + mx, minY - my, maxY + my);
	}

	/**
	 * Fig. 11a as the plot's own image: it carries the Plot (property "thePlot"), from which
	 * ImagePlus.show() makes a PlotWindow (as read in ImageJ 1.54p; not tried in a GUI here).
	 */
	public static ImagePlus byGroup(PromptResult r) {
		ImagePlus imp = byGroupPlot(r).getImagePlus();
		imp.setTitle(BY_RG_TITLE);
		imp.setProperty("Info", r.summary());
		return imp;
	}

	/** The per-group plots tiled two per row (four groups: 2 x 2). */
	public static ImagePlus byCategory(PromptResult r) {
		int groups = r.groups();
		ImageProcessor[] tiles = new ImageProcessor[groups];
		int w = 0, h = 0;
		for (int g = 0; g < groups; g++) {
			tiles[g] = byCategoryPlot(r, g).getProcessor().convertToRGB();
			w = Math.max(w, tiles[g].getWidth());
			h = Math.max(h, tiles[g].getHeight());
		}
		int cols = Math.min(2, groups), rows = (groups + cols - 1) / cols;
		ColorProcessor montage = new ColorProcessor(cols * w, rows * h);
		montage.setColor(Color.WHITE);
		montage.fill();
		for (int g = 0; g < groups; g++)
			montage.insert(tiles[g], (g % cols) * w, (g / cols) * h);
		ImagePlus imp = new ImagePlus(BY_CATEGORY_TITLE, montage);
		imp.setProperty("Info", r.summary());
		return imp;
	}
}
