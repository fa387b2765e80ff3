package org.promptsr.prompts;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import ij.ImagePlus;
import ij.io.FileSaver;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a {@link PromptResult} to a folder:
 * <ul>
 * <li>{@code tsne.csv}: {@code image,category,rg,tsne_x,tsne_y,rg_tsne_x,rg_tsne_y}, one row per
 * (group, image), groups 1..4 in turn; tsne_* is the map of all groups together, rg_tsne_* the
 * map of that group alone.</li>
 * <li>{@code features.bin}: the vectors as float32 little-endian, row-major [images][groups][values],
 * no header (numpy: {@code np.fromfile(f, '<f4').reshape(shape)}); {@code features.json}
 * describes it: shape, order, feature mode, LR size and fit, model, and the images with their
 * categories in row order.</li>
 * <li>{@code tsne-by-rg.png}, {@code tsne-by-category.png}: the plots ({@link PromptPlots}).</li>
 * <li>{@code summary.txt}: {@link PromptResult#summary()}.</li>
 * </ul>
 */
public final class PromptExport {
	public static final String CSV = "tsne.csv";
	public static final String FEATURES = "features.bin";
	public static final String FEATURES_JSON = "features.json";
	public static final String BY_RG_PNG = "tsne-by-rg.png";
	public static final String BY_CATEGORY_PNG = "tsne-by-category.png";
	public static final String SUMMARY = "summary.txt";

	private PromptExport() {}

	/** Writes every file; returns their paths. */
	public static List<Path> writeAll(PromptResult r, Path dir) throws IOException {
		Files.createDirectories(dir);
		List<Path> written = new ArrayList<>();
		written.add(writeCsv(r, dir.resolve(CSV)));
		written.add(writeFeatures(r, dir.resolve(FEATURES), dir.resolve(FEATURES_JSON)));
		written.add(dir.resolve(FEATURES_JSON));
		written.add(writePng(PromptPlots.byGroup(r), dir.resolve(BY_RG_PNG)));
		written.add(writePng(PromptPlots.byCategory(r), dir.resolve(BY_CATEGORY_PNG)));
		Files.write(dir.resolve(SUMMARY), r.summary().getBytes(StandardCharsets.UTF_8));
		written.add(dir.resolve(SUMMARY));
		return written;
	}

	public static Path writeCsv(PromptResult r, Path csv) throws IOException {
		int n = r.images.size();
		try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
			w.write("image,category,rg,tsne_x,tsne_y,rg_tsne_x,rg_tsne_y\n");
			for (int g = 0; g < r.groups(); g++)
				for (int i = 0; i < n; i++) {
					double[] p = r.joint.map[g * n + i], q = r.perGroup[g].map[i];
					w.write(quote(r.images.get(i)) + "," + quote(r.categories.get(i)) + "," + (g + 1) + "," + num(p[0]) + "," +
						num(p[1]) + "," + num(q[0]) + "," + num(q[1]) + "\n");
				}
		}
		return csv;
	}

	public static Path writeFeatures(PromptResult r, Path bin, Path json) throws IOException {
		int n = r.images.size(), groups = r.groups(), len = r.length();
		ByteBuffer row = ByteBuffer.allocate(4 * len).order(ByteOrder.LITTLE_ENDIAN);
		try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(bin))) {
			for (int i = 0; i < n; i++)
				for (int g = 0; g < groups; g++) {
					row.clear();
					row.asFloatBuffer().put(r.features[i][g]);
					out.write(row.array());
				}
		}
		JsonObject meta = new JsonObject();
		meta.addProperty("format", "float32 little-endian, row-major, no header");
		JsonArray shape = new JsonArray();
		shape.add(n);
		shape.add(groups);
		shape.add(len);
		meta.add("shape", shape);
		meta.addProperty("order", "[image][rg][value]; rg 0..3 is P^1..P^4 (last CPB of each residual group)");
		meta.addProperty("read_with", "numpy.fromfile(path, '<f4').reshape(shape)");
		meta.addProperty("features", r.settings.features.key());
		meta.addProperty("features_meaning", r.settings.features == PromptFeatures.Mode.POOLED
			? "mean of P over its anchors (C values)"
			: "P flattened anchor-major: anchor a, channel c at a*C + c; anchors in raster order");
		meta.addProperty("anchors", r.anchors);
		meta.addProperty("channels", r.channels);
		meta.addProperty("lr_size", r.settings.size);
		meta.addProperty("fit", r.settings.fit.key());
		meta.addProperty("model", r.model);
		JsonArray images = new JsonArray();
		for (int i = 0; i < n; i++) {
			JsonObject o = new JsonObject();
			o.addProperty("image", r.images.get(i));
			o.addProperty("category", r.categories.get(i));
			images.add(o);
		}
		meta.add("images", images);
		Files.write(json, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(meta)
			.getBytes(StandardCharsets.UTF_8));
		return bin;
	}

	public static Path writePng(ImagePlus imp, Path png) throws IOException {
		if (!new FileSaver(imp).saveAsPng(png.toString()) || !Files.isRegularFile(png))
			throw new IOException("could not write " + png);
		return png;
	}

	static String quote(String s) {
		if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
		return '"' + s.replace("\"", "\"\"") + '"';
	}

	private static String num(double v) {
		return String.format(Locale.ROOT, "%.6g", v);
	}
}
