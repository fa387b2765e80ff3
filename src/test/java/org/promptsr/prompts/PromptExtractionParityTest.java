package org.promptsr.prompts;

import ij.IJ;
import org.junit.jupiter.api.Test;
import org.promptsr.engine.DeviceChoice;
import org.promptsr.engine.TorchScriptModel;
import org.promptsr.engine.TorchScriptModel.Tensor;
import org.promptsr.metrics.UInt8Image;
import org.promptsr.testutil.FloatFixture;
import org.promptsr.testutil.Fixtures;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The vectors the t-SNE is fed equal PyTorch's anchor prompts, pooled or flattened. Two fixtures
 * from scripts/promptsr_torch/fixtures.py: the whole-network parity input (37x53), and a PNG taken
 * through PromptInput's two fits (the LR inputs must also be the ones Python made).
 */
class PromptExtractionParityTest {

	/** PyTorch's P of one group, as the vector {@link PromptFeatures} should build (pooled in double). */
	static float[] expected(FloatFixture f, String key, PromptFeatures.Mode mode) {
		long[] s = f.shape(key);
		return PromptFeatures.of(new Tensor(s, f.array(key)), 0, mode);
	}

	private static double compare(FloatFixture f, String prefix, float[][] vectors, PromptFeatures.Mode mode) {
		assertEquals(4, vectors.length);
		double worst = 0;
		for (int g = 0; g < 4; g++) {
			float[] want = expected(f, prefix + g, mode);
			long[] s = f.shape(prefix + g);
			assertEquals(mode == PromptFeatures.Mode.POOLED ? s[2] : s[1] * s[2], want.length);
			worst = Math.max(worst, FloatFixture.maxAbsDiff(want, vectors[g]));
		}
		return worst;
	}

	@Test
	void pooledMeansTheAnchorsAndFlattenedKeepsAnchorMajorOrder() {
		// 2 anchors x 3 channels: a0 = (1, 2, 3), a1 = (5, 6, 10)
		Tensor p = new Tensor(new long[] { 1, 2, 3 }, new float[] { 1, 2, 3, 5, 6, 10 });
		assertArrayEquals(new float[] { 3, 4, 6.5f }, PromptFeatures.of(p, 0, PromptFeatures.Mode.POOLED));
		assertArrayEquals(new float[] { 1, 2, 3, 5, 6, 10 }, PromptFeatures.of(p, 0, PromptFeatures.Mode.FLATTENED));
		Tensor batch = new Tensor(new long[] { 2, 1, 2 }, new float[] { 1, 2, 7, 9 });
		assertArrayEquals(new float[] { 7, 9 }, PromptFeatures.of(batch, 1, PromptFeatures.Mode.POOLED));
		assertEquals(48, PromptFeatures.length(PromptFeatures.Mode.POOLED, 64, 48));
		assertEquals(3072, PromptFeatures.length(PromptFeatures.Mode.FLATTENED, 64, 48));
	}

	@Test
	void extractorVectorsOfTheParityInputEqualPyTorch() throws IOException {
		FloatFixture f = new FloatFixture(Fixtures.path("promptsr-tiny-x2.parity.json"));
		TorchScriptModel model = Fixtures.model("promptsr-tiny-x2");
		long[] in = f.shape("input");
		for (PromptFeatures.Mode mode : PromptFeatures.Mode.values()) {
			float[][] v = new PromptExtractor(model::anchorPrompts, mode).extract(f.array("input"), (int) in[2], (int) in[3]);
			double d = compare(f, "prompts", v, mode);
			assertTrue(d <= 1e-4, mode + " vectors differ from PyTorch by " + d);
		}
	}

	@Test
	void anImageTakenThroughBothFitsGivesPyTorchsInputsAndPrompts() throws IOException {
		Path json = Fixtures.path("promptsr-tiny-x2.prompt-image.json");
		FloatFixture f = new FloatFixture(json);
		UInt8Image img = PromptInput.toUInt8(IJ.openImage(json.resolveSibling(f.meta.get("image").getAsString()).toString()));
		assertEquals(50, img.width());
		assertEquals(37, img.height());
		TorchScriptModel model = Fixtures.model("promptsr-tiny-x2");
		for (PromptInput.Fit fit : PromptInput.Fit.values()) {
			int size = f.meta.get(fit.key() + "_size").getAsInt();
			float[] x = PromptInput.toNchw(PromptInput.fit(img, size, fit, 2, "fixture"));
			assertEquals(0.0, FloatFixture.maxAbsDiff(f.array(fit.key() + "_input"), x), fit + ": LR input differs from Python's");
			for (PromptFeatures.Mode mode : PromptFeatures.Mode.values()) {
				float[][] v = new PromptExtractor(model::anchorPrompts, mode).extract(x, size, size);
				double d = compare(f, fit.key() + "_prompts", v, mode);
				System.out.printf("fit %s, %s vectors: max abs diff to PyTorch %.3g%n", fit.key(), mode.key(), d);
				assertTrue(d <= 1e-4, fit + " " + mode + " vectors differ from PyTorch by " + d);
			}
		}
	}

	@Test
	void shippedModelVectorsOfTheParityInput() throws IOException {
		Path dir = Paths.get(System.getProperty("user.dir"));
		FloatFixture f = new FloatFixture(dir.resolve("src/test/resources/parity/promptsr-x2.parity.json"));
		try (TorchScriptModel model = TorchScriptModel.load(dir.resolve("models/promptsr-x2.pt"), DeviceChoice.CPU)) {
			long[] in = f.shape("input");
			for (PromptFeatures.Mode mode : PromptFeatures.Mode.values()) {
				float[][] v = new PromptExtractor(model::anchorPrompts, mode).extract(f.array("input"), (int) in[2], (int) in[3]);
				assertEquals(mode == PromptFeatures.Mode.POOLED ? 48 : 48 * 48, v[0].length);
				// printed, not asserted: CSA's argmax ties may differ between BLAS builds (see PromptSRParityTest)
				System.out.printf("shipped promptsr-x2, %s vectors: max abs diff to PyTorch %.3g%n", mode.key(),
					compare(f, "prompts", v, mode));
			}
		}
	}
}
