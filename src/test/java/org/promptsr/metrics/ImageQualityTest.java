package org.promptsr.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class ImageQualityTest {

	private static UInt8Image random(final int w, final int h, final int c, final long seed) {
		final UInt8Image img = new UInt8Image(w, h, c);
		new Random(seed).nextBytes(img.data());
		return img;
	}

	@Test
	void identicalImages() {
		final UInt8Image img = random(40, 30, 3, 1);
		final ImageQuality.Score s = ImageQuality.score(img, img, 4);
		assertEquals(Double.POSITIVE_INFINITY, s.psnr());
		assertEquals(1.0, s.ssim(), 1e-12);
	}

	@Test
	void offsetOfOneGrayLevel() {
		final UInt8Image a = random(32, 32, 1, 2);
		final UInt8Image b = new UInt8Image(32, 32, 1);
		for (int i = 0; i < a.data().length; i++) {
			final int v = Math.min(a.data()[i] & 0xff, 254);
			a.data()[i] = (byte) v;
			b.data()[i] = (byte) (v + 1);
		}
		final ImageQuality.Score s = ImageQuality.score(b, a, 2, GrayConvention.GRAY);
		assertEquals(10 * Math.log10(255.0 * 255.0), s.psnr(), 1e-9);
		assertEquals(48.1308, s.psnr(), 1e-4);
		assertTrue(s.ssim() < 1 && s.ssim() > 0.99, "SSIM " + s.ssim());

		final double[] y = new double[100];
		final double[] y1 = new double[100];
		for (int i = 0; i < y.length; i++) {
			y[i] = 16 + i;
			y1[i] = y[i] + 1;
		}
		assertEquals(48.1308, ImageQuality.psnr(y, y1), 1e-4);
	}

	@Test
	void ssimOfConstantPlanes() {
		// mu = 100 and 110, no variance: SSIM = (2 mu_a mu_b + C1) / (mu_a^2 + mu_b^2 + C1)
		final double[] a = new double[20 * 15];
		final double[] b = new double[20 * 15];
		java.util.Arrays.fill(a, 100);
		java.util.Arrays.fill(b, 110);
		final double c1 = 2.55 * 2.55;
		assertEquals((2 * 100 * 110 + c1) / (100 * 100 + 110 * 110 + c1), ImageQuality.ssim(a, b, 20, 15), 1e-12);
	}

	@Test
	void cropsTheBorder() {
		// differences only in the 3-pixel border are ignored at scale 3
		final UInt8Image a = random(30, 25, 3, 3);
		final UInt8Image b = a.crop(0, 0, 30, 25);
		for (int c = 0; c < 3; c++)
			for (int x = 0; x < 30; x++) {
				b.set(x, 0, c, 255 - b.get(x, 0, c));
				b.set(x, 24, c, 255 - b.get(x, 24, c));
			}
		assertEquals(Double.POSITIVE_INFINITY, ImageQuality.score(b, a, 3).psnr());
		assertTrue(ImageQuality.score(b, a, 0).psnr() < 30);
	}

	@Test
	void sizeMismatchNamesBothSizes() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
			() -> ImageQuality.score(new UInt8Image(510, 512, 3), new UInt8Image(512, 512, 3), 2));
		assertTrue(e.getMessage().contains("510 x 512") && e.getMessage().contains("512 x 512") &&
			e.getMessage().contains("modcrop"), e.getMessage());
	}

	@Test
	void tooSmallAfterCropping() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
			() -> ImageQuality.score(new UInt8Image(16, 16, 3), new UInt8Image(16, 16, 3), 4));
		assertTrue(e.getMessage().contains("8 x 8") && e.getMessage().contains("19 x 19"), e.getMessage());
	}
}
