package org.promptsr.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.ResultsTable;
import org.promptsr.engine.SuperResolutionModel;
import org.promptsr.engine.TorchScriptModel;
import org.promptsr.pipeline.SuperResolution;
import org.promptsr.pipeline.TileSettings;
import org.promptsr.progress.Progress;

/**
 * Y-channel PSNR/SSIM of a benchmark folder (Set5, Set14, ...) with the conventions of
 * {@link ImageQuality}: {@code scale} border pixels cropped, images scored as uint8. No SciJava
 * needed; the CLI ({@code promptsr eval}) and {@code Plugins > PromptSR > Evaluate PSNR/SSIM} are
 * thin fronts over this class.
 *
 * <p><b>Model mode</b> ({@link #evaluateModel}): for every HR image, HR' = modcrop(HR, s),
 * LR = {@link MatlabBicubic#downscale} of HR' (bit-exact with MATLAB-made LR files),
 * SR = the model run on LR through {@link SuperResolution} (8-bit/RGB output, i.e. already rounded
 * to uint8) and, side by side, plain bicubic upscaling {@link MatlabBicubic#resize}(LR, s); both are
 * scored against HR'.
 *
 * <p><b>Folder mode</b> ({@link #evaluateFolder}): SR images already on disk are scored against
 * modcrop(HR, s). <b>Name matching rule:</b> for the HR file {@code NAME.ext} the SR folder may hold
 * one of {@code NAME}, {@code NAME_xS}, {@code NAMExS}, {@code NAME_SRxS} or {@code NAME-xS}
 * (S = the scale, e.g. {@code baby_x2}) with extension {@code .png}, {@code .tif} or {@code .tiff};
 * file names are compared ignoring case. More than one match for the same HR image is an error
 * (keep one). HR images without a match are listed in {@link Result#unmatched()} and left out of
 * the means; it is an error only when no HR image has a match. An SR image must have the size of
 * modcrop(HR, s).
 *
 * <p><b>Files.</b> Images are the {@code .png}, {@code .tif} and {@code .tiff} files directly in a
 * folder (sorted by name, subfolders not searched). Other files and hidden files (name starting
 * with a dot) are skipped silently; an image file that cannot be read is an error naming it.
 * Images must be 8-bit gray or RGB (8-bit with a colour table counts as RGB); 16-bit PNG/TIFF files
 * are rejected, as benchmark images are 8-bit.
 *
 * <p><b>Gray images.</b> A single-channel HR image is given to the model as three equal channels
 * and the model's RGB result is scored. {@link GrayConvention#REPLICATE} (the default) takes the
 * gray image's Y as that of (g, g, g); {@link GrayConvention#GRAY} takes Y = g and brings the RGB
 * result onto the gray scale (see {@link YChannel#forComparison}). The bicubic column of a gray
 * image is resized as gray.
 */
public final class BenchmarkEvaluation {

	/** File extensions (lower case, with dot) read as images. */
	public static final List<String> EXTENSIONS = Collections.unmodifiableList(Arrays.asList(".png", ".tif", ".tiff"));

	private static final byte[] PNG_SIGNATURE = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

	/** Progress, per-image results and cancel; every method has a do-nothing default. */
	public interface Listener {
		Listener NONE = new Listener() {};

		/** {@code fraction} of the whole run done (0..1) and what is being worked on. */
		default void progress(String message, double fraction) {}

		/** Called as soon as an image is scored, in order. */
		default void scored(Row row) {}

		/** Polled before every image and every model tile; true stops with a {@link CancellationException}. */
		default boolean isCanceled() {
			return false;
		}
	}

	/** Which kind of evaluation gave a {@link Result}. */
	public enum Mode {
		MODEL, FOLDER
	}

	/** One scored image. */
	public static final class Row {
		private final String image;
		private final String srImage;
		private final ImageQuality.Score score;
		private final ImageQuality.Score bicubic;

		public Row(String image, String srImage, ImageQuality.Score score, ImageQuality.Score bicubic) {
			this.image = Objects.requireNonNull(image);
			this.srImage = srImage;
			this.score = Objects.requireNonNull(score);
			this.bicubic = bicubic;
		}

		/** The HR file name. */
		public String image() {
			return image;
		}

		/** The matched SR file name (folder mode); {@code null} in model mode. */
		public String srImage() {
			return srImage;
		}

		/** The model's (model mode) or the SR file's (folder mode) score. */
		public ImageQuality.Score score() {
			return score;
		}

		/** Plain bicubic upscaling's score (model mode); {@code null} in folder mode. */
		public ImageQuality.Score bicubic() {
			return bicubic;
		}

		/** One line for a console: {@code baby.png  PSNR=... SSIM=...  bicubic PSNR=... SSIM=...}. */
		public String line() {
			StringBuilder sb = new StringBuilder(image);
			if (srImage != null && !srImage.equals(image)) sb.append(" <- ").append(srImage);
			sb.append("  ").append(format(score));
			if (bicubic != null) sb.append("  bicubic ").append(format(bicubic));
			return sb.toString();
		}
	}

	/** Per-image rows, means and the HR images that had no SR image. */
	public static final class Result {
		private final Mode mode;
		private final int scale;
		private final GrayConvention convention;
		private final String source;
		private final List<Row> rows;
		private final List<String> unmatched;
		private final ImageQuality.Score mean;
		private final ImageQuality.Score bicubicMean;

		Result(Mode mode, int scale, GrayConvention convention, String source, List<Row> rows, List<String> unmatched) {
			this.mode = mode;
			this.scale = scale;
			this.convention = convention;
			this.source = source;
			this.rows = Collections.unmodifiableList(new ArrayList<>(rows));
			this.unmatched = Collections.unmodifiableList(new ArrayList<>(unmatched));
			this.mean = mean(rows, false);
			this.bicubicMean = mode == Mode.MODEL ? mean(rows, true) : null;
		}

		private static ImageQuality.Score mean(List<Row> rows, boolean bicubic) {
			double psnr = 0, ssim = 0;
			for (Row r : rows) {
				ImageQuality.Score s = bicubic ? r.bicubic : r.score;
				psnr += s.psnr();
				ssim += s.ssim();
			}
			return new ImageQuality.Score(psnr / rows.size(), ssim / rows.size());
		}

		public Mode mode() {
			return mode;
		}

		public int scale() {
			return scale;
		}

		public GrayConvention convention() {
			return convention;
		}

		/** The model file (model mode) or the SR folder (folder mode). */
		public String source() {
			return source;
		}

		public List<Row> rows() {
			return rows;
		}

		/** HR file names without an SR image (folder mode; always empty in model mode). */
		public List<String> unmatched() {
			return unmatched;
		}

		/** Mean PSNR and SSIM over the scored images. */
		public ImageQuality.Score mean() {
			return mean;
		}

		/** Mean of the bicubic column (model mode); {@code null} in folder mode. */
		public ImageQuality.Score bicubicMean() {
			return bicubicMean;
		}

		/** {@code mean PSNR=xx.xxxx SSIM=0.xxxx}. */
		public String meanLine() {
			return "mean " + format(mean);
		}

		/** {@code bicubic mean PSNR=... SSIM=...}, or {@code null} in folder mode. */
		public String bicubicMeanLine() {
			return bicubicMean == null ? null : "bicubic mean " + format(bicubicMean);
		}

		/** {@code no SR image for N HR image(s): a.png, b.png}, or {@code null} when all matched. */
		public String unmatchedLine() {
			return unmatched.isEmpty() ? null
				: "no SR image for " + unmatched.size() + " HR image(s): " + String.join(", ", unmatched);
		}

		/** What was evaluated, the means and the unmatched HR images, one per line. */
		public String summary() {
			StringBuilder sb = new StringBuilder();
			sb.append(mode == Mode.MODEL ? "model " : "SR folder ").append(source).append(", x").append(scale)
				.append(", Y channel, gray images: ").append(convention.name().toLowerCase(Locale.ROOT))
				.append(", ").append(rows.size()).append(" image(s)\n");
			if (bicubicMean != null) sb.append(bicubicMeanLine()).append('\n');
			sb.append(meanLine());
			if (!unmatched.isEmpty()) sb.append('\n').append(unmatchedLine());
			return sb.toString();
		}

		/** Header {@code image,psnr,ssim} (plus {@code ,bicubic_psnr,bicubic_ssim} in model mode), one row per image. */
		public String toCsv() {
			StringBuilder sb = new StringBuilder(bicubicMean != null ? "image,psnr,ssim,bicubic_psnr,bicubic_ssim\n"
				: "image,psnr,ssim\n");
			for (Row r : rows) {
				sb.append(csvField(r.image)).append(',').append(number(r.score.psnr())).append(',')
					.append(number(r.score.ssim()));
				if (bicubicMean != null)
					sb.append(',').append(number(r.bicubic.psnr())).append(',').append(number(r.bicubic.ssim()));
				sb.append('\n');
			}
			return sb.toString();
		}

		public void writeCsv(Path file) throws IOException {
			Path parent = file.toAbsolutePath().getParent();
			if (parent != null) Files.createDirectories(parent);
			Files.write(file, toCsv().getBytes(StandardCharsets.UTF_8));
		}

		/**
		 * Columns PSNR, SSIM (plus Bicubic PSNR, Bicubic SSIM in model mode, SR file in folder mode),
		 * row labels the HR file names, and a last row labelled {@code mean}.
		 */
		public ResultsTable toResultsTable() {
			ResultsTable table = new ResultsTable();
			for (Row r : rows)
				addTableRow(table, r.image, r.srImage, r.score, r.bicubic);
			addTableRow(table, "mean", null, mean, bicubicMean);
			return table;
		}

		private void addTableRow(ResultsTable table, String label, String sr, ImageQuality.Score s, ImageQuality.Score b) {
			table.incrementCounter();
			table.addLabel(label);
			table.addValue("PSNR", s.psnr());
			table.addValue("SSIM", s.ssim());
			if (mode == Mode.MODEL) {
				table.addValue("Bicubic PSNR", b.psnr());
				table.addValue("Bicubic SSIM", b.ssim());
			}
			else table.addValue("SR file", sr == null ? "" : sr);
		}

		private static String number(double v) {
			return Double.isInfinite(v) ? "inf" : String.format(Locale.ROOT, "%.6f", v);
		}

		private static String csvField(String s) {
			return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
		}
	}

	private final Path hrFolder;
	private final int scale;
	private final GrayConvention convention;
	private Listener listener = Listener.NONE;

	/**
	 * @param hrFolder the ground-truth images (e.g. {@code .../Set5/HR})
	 * @param scale the upscaling factor; also the border cropped before scoring
	 * @param convention how gray images enter Y; {@code null} means {@link GrayConvention#REPLICATE}
	 */
	public BenchmarkEvaluation(Path hrFolder, int scale, GrayConvention convention) {
		if (scale < 1) throw new IllegalArgumentException("Scale must be at least 1, got " + scale + ".");
		this.hrFolder = hrFolder;
		this.scale = scale;
		this.convention = convention == null ? GrayConvention.REPLICATE : convention;
	}

	public BenchmarkEvaluation listener(Listener l) {
		this.listener = l == null ? Listener.NONE : l;
		return this;
	}

	/** Model mode (see the class comment). The model's scale must be this evaluation's scale. */
	public Result evaluateModel(SuperResolutionModel model, TileSettings tiles) {
		Objects.requireNonNull(model, "model");
		if (model.scale() != scale) throw new IllegalArgumentException("The model upscales x" + model.scale() +
			", not x" + scale + ": choose scale " + model.scale() + " or a x" + scale + " model.");
		List<Path> hr = listImages(hrFolder, "HR");
		SuperResolution pipeline = new SuperResolution(model, tiles == null ? TileSettings.defaults() : tiles);
		List<Row> rows = new ArrayList<>();
		for (int i = 0; i < hr.size(); i++) {
			Path file = hr.get(i);
			String name = file.getFileName().toString();
			final int index = i;
			final int count = hr.size();
			checkCanceled();
			listener.progress("x" + scale + " " + name + " (" + (i + 1) + "/" + count + ")", i / (double) count);
			UInt8Image truth = readImage(file);
			Row row;
			try {
				UInt8Image cropped = MatlabBicubic.modcrop(truth, scale);
				UInt8Image lr = MatlabBicubic.downscale(cropped, scale);
				UInt8Image bicubic = MatlabBicubic.resize(lr, scale);
				ImagePlus input = (lr.isGray() ? replicate(lr) : lr).toImagePlus(name);
				ImagePlus output = pipeline.upscale(input, new Progress() {
					@Override
					public void stepDone(int done, int total) {
						listener.progress("x" + scale + " " + name + " (" + (index + 1) + "/" + count + "): tile " + done +
							"/" + total, (index + done / (double) Math.max(total, 1)) / count);
					}

					@Override
					public boolean isCanceled() {
						return listener.isCanceled();
					}
				});
				UInt8Image sr = UInt8Image.fromImagePlus(output);
				row = new Row(name, null, ImageQuality.score(sr, cropped, scale, convention),
					ImageQuality.score(bicubic, cropped, scale, convention));
			}
			catch (IllegalArgumentException e) {
				throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
			}
			rows.add(row);
			listener.scored(row);
		}
		listener.progress("done", 1);
		return new Result(Mode.MODEL, scale, convention, describe(model), rows, Collections.emptyList());
	}

	/** Folder mode (see the class comment for the name matching rule). */
	public Result evaluateFolder(Path srFolder) {
		List<Path> hr = listImages(hrFolder, "HR");
		List<Path> srFiles = listImages(srFolder, "SR");
		try {
			if (Files.isSameFile(hrFolder, srFolder)) throw new IllegalArgumentException("The SR folder is the HR folder (" +
				hrFolder + "): give the folder holding the super-resolved images.");
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		Map<String, List<Path>> byName = new LinkedHashMap<>();
		for (Path p : srFiles)
			byName.computeIfAbsent(p.getFileName().toString().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(p);
		List<Row> rows = new ArrayList<>();
		List<String> unmatched = new ArrayList<>();
		for (int i = 0; i < hr.size(); i++) {
			Path file = hr.get(i);
			String name = file.getFileName().toString();
			checkCanceled();
			listener.progress("x" + scale + " " + name + " (" + (i + 1) + "/" + hr.size() + ")", i / (double) hr.size());
			List<Path> matches = new ArrayList<>();
			for (String candidate : srNamesFor(name, scale))
				matches.addAll(byName.getOrDefault(candidate.toLowerCase(Locale.ROOT), Collections.emptyList()));
			if (matches.isEmpty()) {
				unmatched.add(name);
				continue;
			}
			if (matches.size() > 1) throw new IllegalArgumentException("Several SR images in " + srFolder +
				" match the HR image " + name + ": " + matches.stream().map(p -> p.getFileName().toString())
					.collect(Collectors.joining(", ")) + ". Keep only one of them in the folder.");
			Path srFile = matches.get(0);
			UInt8Image truth = readImage(file);
			UInt8Image cropped = MatlabBicubic.modcrop(truth, scale);
			UInt8Image sr = readImage(srFile);
			if (sr.width() != cropped.width() || sr.height() != cropped.height())
				throw new IllegalArgumentException(sizeMismatch(srFile, sr, file, truth, cropped));
			Row row;
			try {
				row = new Row(name, srFile.getFileName().toString(), ImageQuality.score(sr, cropped, scale, convention), null);
			}
			catch (IllegalArgumentException e) {
				throw new IllegalArgumentException(srFile + ": " + e.getMessage(), e);
			}
			rows.add(row);
			listener.scored(row);
		}
		if (rows.isEmpty()) throw new IllegalArgumentException("None of the " + hr.size() + " HR images in " + hrFolder +
			" has an SR image in " + srFolder + ". For HR " + hr.get(0).getFileName() + " at x" + scale +
			" the SR file must be named one of " + srNamesFor(hr.get(0).getFileName().toString(), scale).stream()
				.filter(n -> n.endsWith(".png")).collect(Collectors.joining(", ")) +
			" (.png, .tif or .tiff). Found: " + srFiles.stream().limit(5).map(p -> p.getFileName().toString())
				.collect(Collectors.joining(", ")) + (srFiles.size() > 5 ? ", ..." : "") + ".");
		listener.progress("done", 1);
		return new Result(Mode.FOLDER, scale, convention, srFolder.toString(), rows, unmatched);
	}

	/**
	 * SR file names accepted for the HR file {@code hrFileName} at {@code scale}, in the order
	 * NAME, NAME_xS, NAMExS, NAME_SRxS, NAME-xS, each with .png, then .tif, then .tiff.
	 */
	public static List<String> srNamesFor(String hrFileName, int scale) {
		String stem = stem(hrFileName);
		String s = Integer.toString(scale);
		List<String> names = new ArrayList<>();
		for (String base : new String[] { stem, stem + "_x" + s, stem + "x" + s, stem + "_SRx" + s, stem + "-x" + s })
			for (String ext : EXTENSIONS)
				names.add(base + ext);
		return names;
	}

	/** The image files of a folder, sorted by name; errors name the folder and what to do. */
	public static List<Path> listImages(Path folder, String role) {
		if (folder == null || folder.toString().isEmpty())
			throw new IllegalArgumentException("No " + role + " folder given.");
		if (!Files.exists(folder)) throw new IllegalArgumentException(role + " folder not found: " +
			folder.toAbsolutePath() + ". Give the folder holding the " + role + " images" +
			("HR".equals(role) ? " (e.g. .../Set5/HR)." : "."));
		if (!Files.isDirectory(folder)) throw new IllegalArgumentException(role + " folder " + folder.toAbsolutePath() +
			" is a file, not a folder. Give the folder holding the " + role + " images.");
		List<Path> images;
		try (Stream<Path> files = Files.list(folder)) {
			images = files.filter(Files::isRegularFile).filter(BenchmarkEvaluation::isImageName).sorted()
				.collect(Collectors.toList());
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot list " + folder, e);
		}
		if (images.isEmpty()) throw new IllegalArgumentException("No PNG or TIFF images in the " + role + " folder " +
			folder.toAbsolutePath() + ". Give the folder that holds the " + role + " .png files" +
			("HR".equals(role) ? " (e.g. .../Set5/HR)." : "."));
		return images;
	}

	/**
	 * Reads an 8-bit gray or RGB image; a 16-bit PNG/TIFF, a stack, or a file that cannot be read
	 * is an error naming the file.
	 */
	public static UInt8Image readImage(Path file) {
		String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
		if (lower.endsWith(".png")) checkPngHeader(file);
		ImagePlus imp = IJ.openImage(file.toString());
		if (imp == null) throw new IllegalArgumentException("Cannot read " + file + " as an image. Replace it with " +
			"an 8-bit PNG, or move it out of the folder.");
		if (imp.getStackSize() != 1) throw new IllegalArgumentException(file + " has " + imp.getStackSize() +
			" slices; benchmark images must be single 8-bit gray or RGB images.");
		int depth = imp.getBitDepth();
		if (depth == 16 || depth == 32) throw new IllegalArgumentException(depth + "-bit " +
			(lower.endsWith(".png") ? "PNG " : "image ") + file + ": benchmark images are 8-bit; convert to 8-bit " +
			"(8-bit gray or RGB, e.g. Image > Type > 8-bit in Fiji) and run again.");
		try {
			return UInt8Image.fromImagePlus(imp);
		}
		catch (IllegalArgumentException e) {
			throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
		}
	}

	private static void checkPngHeader(Path file) {
		byte[] head = new byte[26];
		int n = 0;
		try (InputStream in = Files.newInputStream(file)) {
			while (n < head.length) {
				int r = in.read(head, n, head.length - n);
				if (r < 0) break;
				n += r;
			}
		}
		catch (IOException e) {
			throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage(), e);
		}
		boolean png = n == head.length && Arrays.equals(Arrays.copyOf(head, 8), PNG_SIGNATURE) &&
			head[12] == 'I' && head[13] == 'H' && head[14] == 'D' && head[15] == 'R';
		if (!png) throw new IllegalArgumentException(file + " is not a readable PNG file (" +
			(n < head.length ? "only " + n + " bytes" : "no PNG header") + "). Replace it with an 8-bit PNG, " +
			"or move it out of the folder.");
		int bitDepth = head[24] & 0xff;
		if (bitDepth == 16) throw new IllegalArgumentException("16-bit PNG " + file + ": benchmark images are " +
			"8-bit; convert to 8-bit (8-bit gray or RGB, e.g. Image > Type > 8-bit in Fiji) and run again.");
	}

	private static boolean isImageName(Path p) {
		String n = p.getFileName().toString();
		if (n.startsWith(".")) return false;
		String lower = n.toLowerCase(Locale.ROOT);
		for (String ext : EXTENSIONS)
			if (lower.endsWith(ext)) return true;
		return false;
	}

	private static String stem(String fileName) {
		int dot = fileName.lastIndexOf('.');
		return dot > 0 ? fileName.substring(0, dot) : fileName;
	}

	private static UInt8Image replicate(UInt8Image gray) {
		int plane = gray.width() * gray.height();
		UInt8Image rgb = new UInt8Image(gray.width(), gray.height(), 3);
		for (int c = 0; c < 3; c++)
			System.arraycopy(gray.data(), 0, rgb.data(), c * plane, plane);
		return rgb;
	}

	private static String sizeMismatch(Path srFile, UInt8Image sr, Path hrFile, UInt8Image hr, UInt8Image cropped) {
		String hint;
		int k = cropped.width() / sr.width();
		if (k >= 2 && sr.width() * k == cropped.width() && sr.height() * k == cropped.height())
			hint = " It is 1/" + k + " of the HR size: is it the LR image rather than the SR result?";
		else if (sr.width() == hr.width() && sr.height() == hr.height())
			hint = " It has the HR size before modcrop: make the LR from modcrop(HR, scale) and super-resolve that.";
		else hint = " Were the SR images made at another scale, or cropped/padded differently?";
		return "Size mismatch: SR image " + srFile + " is " + sr.width() + " x " + sr.height() + " but HR " + hrFile +
			" cropped to a multiple of the scale (modcrop) is " + cropped.width() + " x " + cropped.height() +
			" (width x height); SR images must have the modcrop(HR) size." + hint;
	}

	private void checkCanceled() {
		if (listener.isCanceled()) throw new CancellationException("Evaluation canceled.");
	}

	private static String describe(SuperResolutionModel model) {
		if (model instanceof TorchScriptModel) return ((TorchScriptModel) model).path().toString();
		return model.getClass().getSimpleName();
	}

	static String format(ImageQuality.Score s) {
		return String.format(Locale.ROOT, "PSNR=%.4f SSIM=%.4f", s.psnr(), s.ssim());
	}
}
