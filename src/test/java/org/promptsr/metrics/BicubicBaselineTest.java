package org.promptsr.metrics;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Bicubic upscaling of the MATLAB-made LR files, scored against modcrop(HR, s): the field's
 * published bicubic baseline (within 0.02 dB / 0.001), and our Python evaluation with identical
 * conventions (scripts/promptsr_torch, within 1e-3 dB / 1e-5).
 */
class BicubicBaselineTest {

	@TestFactory
	Stream<DynamicTest> matchesPublishedAndPython() {
		return Stream.of(
			// set, scale, convention, published PSNR, SSIM (NaN: none), Python PSNR, SSIM
			check("Set5", 2, GrayConvention.REPLICATE, 33.66, 0.9299, 33.673410, 0.930287),
			check("Set5", 3, GrayConvention.REPLICATE, 30.39, 0.8682, 30.403312, 0.868906),
			check("Set5", 4, GrayConvention.REPLICATE, 28.42, 0.8104, 28.429017, 0.811135),
			check("Set14", 2, GrayConvention.GRAY, 30.24, 0.8688, 30.230157, 0.869052),
			check("Set14", 3, GrayConvention.GRAY, 27.55, 0.7742, 27.536685, 0.774468),
			check("Set14", 4, GrayConvention.GRAY, 26.00, 0.7027, 25.993978, 0.702915),
			check("Set14", 2, GrayConvention.REPLICATE, Double.NaN, Double.NaN, 30.324579, 0.869852));
	}

	private static DynamicTest check(final String set, final int scale,
		final GrayConvention convention, final double publishedPsnr, final double publishedSsim,
		final double pythonPsnr, final double pythonSsim)
	{
		return DynamicTest.dynamicTest(set + " x" + scale + " " + convention, () -> {
			TestData.assumeSet(set);
			double psnr = 0;
			double ssim = 0;
			int n = 0;
			for (final String name : TestData.names(set)) {
				final UInt8Image hr = MatlabBicubic.modcrop(TestData.hr(set, name), scale);
				final UInt8Image sr = MatlabBicubic.resize(TestData.lr(set, name, scale), scale);
				final ImageQuality.Score s = ImageQuality.score(sr, hr, scale, convention);
				psnr += s.psnr();
				ssim += s.ssim();
				n++;
			}
			final double meanPsnr = psnr / n;
			final double meanSsim = ssim / n;
			System.out.println(String.format(Locale.ROOT,
				"bicubic %s x%d %s (%d images): PSNR %.6f SSIM %.6f", set, scale, convention, n,
				meanPsnr, meanSsim));
			assertAll(
				() -> assertEquals(pythonPsnr, meanPsnr, 1e-3, "PSNR vs Python"),
				() -> assertEquals(pythonSsim, meanSsim, 1e-5, "SSIM vs Python"),
				() -> {
					if (!Double.isNaN(publishedPsnr))
						assertEquals(publishedPsnr, meanPsnr, 0.02, "PSNR vs published");
				},
				() -> {
					if (!Double.isNaN(publishedSsim))
						assertEquals(publishedSsim, meanSsim, 0.001, "SSIM vs published");
				});
		});
	}
}
