package org.promptsr.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class YChannelTest {

	@Test
	void rgbFormula() {
		assertEquals(16.0, YChannel.fromRgb(0, 0, 0), 1e-12);
		assertEquals(235.0, YChannel.fromRgb(255, 255, 255), 1e-12);
		assertEquals(16 + 65.481, YChannel.fromRgb(255, 0, 0), 1e-12);
		assertEquals(16 + 128.553 * 100 / 255.0, YChannel.fromRgb(0, 100, 0), 1e-12);
		assertEquals(16 + 24.966 * 7 / 255.0, YChannel.fromRgb(0, 0, 7), 1e-12);
	}

	@Test
	void grayConventions() {
		final UInt8Image gray = new UInt8Image(2, 1, 1, new byte[] { 0, (byte) 200 });
		final double[] replicate = YChannel.of(gray);
		assertEquals(16.0, replicate[0], 1e-12);
		assertEquals(16 + 219 * 200 / 255.0, replicate[1], 1e-12);
		final double[] plain = YChannel.of(gray, GrayConvention.GRAY);
		assertEquals(0.0, plain[0]);
		assertEquals(200.0, plain[1]);
		// (g, g, g) on the gray scale gives g back
		final UInt8Image rgb = new UInt8Image(2, 1, 3, new byte[] { 0, (byte) 200, 0, (byte) 200, 0,
			(byte) 200 });
		final double[] onGray = YChannel.forComparison(rgb, gray, GrayConvention.GRAY);
		assertEquals(0.0, onGray[0], 1e-9);
		assertEquals(200.0, onGray[1], 1e-9);
		assertEquals(replicate[1], YChannel.forComparison(rgb, gray, GrayConvention.REPLICATE)[1], 1e-9);
	}

	@Test
	void rejectsOtherChannelCounts() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
			() -> YChannel.of(new UInt8Image(2, 2, 4)));
		assertTrue(e.getMessage().contains("4 channels"), e.getMessage());
	}
}
