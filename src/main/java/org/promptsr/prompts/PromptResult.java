package org.promptsr.prompts;

import ij.measure.ResultsTable;

import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** What {@link AnchorPromptAnalysis} found; {@link PromptExport} writes it, {@link PromptPlots} draws it. */
public final class PromptResult {

	/** Mean silhouettes (NaN where only one category exists). */
	public static final class Silhouettes {
		public double groupsInMap, groupsInFeatures, categoriesInMap, categoriesInFeatures;
		public final double[] categoriesInGroupMap, categoriesInGroupFeatures;

		Silhouettes(int groups) {
			categoriesInGroupMap = new double[groups];
			categoriesInGroupFeatures = new double[groups];
		}
	}

	public final AnchorPromptAnalysis.Settings settings;
	public final String model;
	public final List<String> images;
	/** Category of each image. */
	public final List<String> categories;
	/** Distinct categories in order of first appearance; {@link #categoryIds} index it. */
	public final List<String> categoryNames;
	public final int[] categoryIds;
	/** [image][group][value] */
	public final float[][][] features;
	/** The shape of each group's P: anchors x channels. */
	public final int anchors, channels;
	/** The joint map: point g * images + i is image i's vector of group g. */
	public final Tsne.Result joint;
	/** One map per group, point i = image i. */
	public final Tsne.Result[] perGroup;
	public final Silhouettes silhouettes;
	public final double extractionSeconds, tsneSeconds;

	PromptResult(AnchorPromptAnalysis.Settings settings, String model, List<String> images, List<String> categories,
		List<String> categoryNames, int[] categoryIds, float[][][] features, int anchors, int channels, Tsne.Result joint,
		Tsne.Result[] perGroup,
		Silhouettes silhouettes, double extractionSeconds, double tsneSeconds)
	{
		this.settings = settings;
		this.model = model;
		this.images = Collections.unmodifiableList(images);
		this.categories = Collections.unmodifiableList(categories);
		this.categoryNames = Collections.unmodifiableList(categoryNames);
		this.categoryIds = categoryIds;
		this.features = features;
		this.anchors = anchors;
		this.channels = channels;
		this.joint = joint;
		this.perGroup = perGroup;
		this.silhouettes = silhouettes;
		this.extractionSeconds = extractionSeconds;
		this.tsneSeconds = tsneSeconds;
	}

	public int groups() {
		return features[0].length;
	}

	public int length() {
		return features[0][0].length;
	}

	/** One row per (group, image), as in the CSV. */
	public ResultsTable toResultsTable() {
		ResultsTable t = new ResultsTable();
		int n = images.size();
		for (int g = 0; g < groups(); g++)
			for (int i = 0; i < n; i++) {
				t.incrementCounter();
				t.addLabel(images.get(i));
				t.addValue("Category", categories.get(i));
				t.addValue("RG", g + 1);
				t.addValue("t-SNE x", joint.map[g * n + i][0]);
				t.addValue("t-SNE y", joint.map[g * n + i][1]);
				t.addValue("RG t-SNE x", perGroup[g].map[i][0]);
				t.addValue("RG t-SNE y", perGroup[g].map[i][1]);
			}
		return t;
	}

	/** The cluster-separation figure: silhouettes by group and by category, then the times. */
	public String summary() {
		StringBuilder b = new StringBuilder();
		int n = images.size();
		b.append(String.format(Locale.ROOT, "Anchor prompts of %d images, %d categories (%s), %d residual groups, " +
			"P of %d anchors x %d channels, %d values per vector%n", n, categoryNames.size(), categoryCounts(), groups(), anchors,
			channels, length()));
		if (!model.isEmpty()) b.append("model ").append(model).append('\n');
		b.append(settings.describe()).append('\n');
		b.append(String.format(Locale.ROOT, "t-SNE of all groups: %d points, perplexity %.4g, KL %.3f; of each group: %d points, perplexity %.4g%n",
			groups() * n, joint.perplexity, joint.klDivergence, n, perGroup[0].perplexity));
		b.append("silhouette (Euclidean; -1..1, higher = better separated)\n");
		b.append(String.format(Locale.ROOT, "  %-32s %9s %9s%n", "", "t-SNE map", "features"));
		row(b, "all groups, labelled by RG", silhouettes.groupsInMap, silhouettes.groupsInFeatures);
		row(b, "all groups, labelled by category", silhouettes.categoriesInMap, silhouettes.categoriesInFeatures);
		for (int g = 0; g < groups(); g++)
			row(b, "RG" + (g + 1) + " alone, labelled by category", silhouettes.categoriesInGroupMap[g],
				silhouettes.categoriesInGroupFeatures[g]);
		b.append(String.format(Locale.ROOT, "time: extraction %.1f s (%.2f s per image), t-SNE %.1f s (%d maps)%n",
			extractionSeconds, extractionSeconds / n, tsneSeconds, groups() + 1));
		return b.toString();
	}

	private static void row(StringBuilder b, String label, double map, double features) {
		b.append(String.format(Locale.ROOT, "  %-32s %9s %9s%n", label, format(map), format(features)));
	}

	private static String format(double v) {
		return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
	}

	private String categoryCounts() {
		int[] count = new int[categoryNames.size()];
		for (int c : categoryIds)
			count[c]++;
		StringBuilder b = new StringBuilder();
		for (int c = 0; c < count.length; c++)
			b.append(c > 0 ? ", " : "").append(categoryNames.get(c)).append(' ').append(count[c]);
		return b.toString();
	}
}
