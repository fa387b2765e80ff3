package org.promptsr.attribution;

import java.util.Arrays;

/**
 * LAM's Diffusion Index: DI = (1 - G) * 100 with G the Gini coefficient of the attribution map.
 * A map concentrated on one pixel gives DI near 0; a map spread evenly over the input gives 100.
 * Values are shifted by -min when any is negative and by 1e-7 (REFERENCE.md section 7).
 */
public final class DiffusionIndex {
	private DiffusionIndex() {}

	public static double gini(float[] values) {
		if (values.length == 0) throw new IllegalArgumentException("Gini of an empty map");
		double[] v = new double[values.length];
		double min = Double.POSITIVE_INFINITY;
		for (int i = 0; i < v.length; i++) {
			v[i] = values[i];
			min = Math.min(min, v[i]);
		}
		double shift = (min < 0 ? -min : 0) + 1e-7;
		for (int i = 0; i < v.length; i++)
			v[i] += shift;
		Arrays.sort(v);
		int n = v.length;
		double weighted = 0, total = 0;
		for (int i = 0; i < n; i++) {
			weighted += (2.0 * (i + 1) - n - 1) * v[i];
			total += v[i];
		}
		return weighted / (n * total);
	}

	public static double of(float[] map) {
		return (1 - gini(map)) * 100;
	}
}
