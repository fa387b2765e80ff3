package org.promptsr.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class MatlabBicubicTest {

	/** 4 x 5 ramp (i^1.5, row-major), the input of the reference values below. */
	private static double[] ramp() {
		final double[] a = new double[20];
		for (int i = 0; i < a.length; i++)
			a[i] = Math.pow(i, 1.5);
		return a;
	}

	// Reference values from the project's verified Python port (scripts/promptsr_torch/imresize.py).
	private static final double[] RAMP_HALF = { 5.884454818625018, 11.644689722154006,
		16.463909378040274, 47.951764013076826, 59.92075289584338, 68.40973315466985 };
	private static final double[] RAMP_THIRD = { 19.113504377902082, 29.350030335273736,
		52.681396412657605, 68.63975975066157 };
	private static final double[] RAMP_DOUBLE_FIRST_ROWS = { -1.119788322340916, -0.9314258219747992,
		-0.5547008212425659, 0.051374610023988965, 0.8868004718248653, 1.8582812114507195,
		2.9658168289015507, 4.256644227389543, 5.730763406914698, 6.467822996677275, 1.65316544217456,
		2.04079301700712, 2.8160481666722395, 3.7602013817590993, 4.873252662267699, 6.105053690788802,
		7.4556044673224084, 8.986832085325943, 10.698736544799406, 11.554688774536135 };
	/** Green channel of (i * 37) mod 256 (4 x 5 x 3, interleaved) enlarged 3x as uint8. */
	private static final int[] UINT8_TRIPLE_GREEN = { 20, 32, 70, 121, 143, 105, 38, 0, 17, 61, 109,
		159, 212, 249, 255, 25, 37, 75, 126, 148, 109, 42, 3, 21, 68, 114, 155, 196, 225, 237, 36, 48,
		86, 137, 159, 120, 53, 14, 35, 84, 125, 144, 154, 160, 164, 52, 64, 102, 153, 175, 136, 69, 30,
		55, 108, 141, 129, 97, 72, 64, 68, 80, 118, 169, 191, 152, 85, 46, 74, 129, 157, 122, 59, 12, 0,
		81, 94, 136, 191, 215, 174, 102, 60, 87, 145, 171, 131, 60, 7, 0, 95, 109, 154, 213, 239, 196,
		120, 75, 101, 159, 186, 148, 81, 31, 14, 111, 123, 161, 212, 234, 195, 128, 89, 117, 172, 200,
		165, 102, 55, 39, 135, 139, 152, 169, 174, 152, 119, 105, 138, 191, 216, 181, 118, 71, 55, 163,
		155, 133, 104, 86, 87, 100, 121, 162, 211, 232, 197, 134, 87, 71, 182, 166, 119, 56, 21, 39, 86,
		132, 178, 225, 243, 208, 145, 98, 82, 190, 171, 115, 41, 0, 24, 82, 137, 185, 231, 248, 213,
		150, 103, 87 };

	@Test
	void doubleResizeMatchesReference() {
		assertArrayEquals(RAMP_HALF, MatlabBicubic.resize(ramp(), 5, 4, 1, 0.5), 1e-12);
		assertArrayEquals(RAMP_THIRD, MatlabBicubic.resize(ramp(), 5, 4, 1, 1.0 / 3), 1e-12);
		final double[] up = MatlabBicubic.resize(ramp(), 5, 4, 1, 2.0);
		assertEquals(10 * 8, up.length);
		final double[] firstRows = new double[20];
		System.arraycopy(up, 0, firstRows, 0, 20);
		assertArrayEquals(RAMP_DOUBLE_FIRST_ROWS, firstRows, 1e-12);
	}

	@Test
	void uint8ResizeMatchesReference() {
		final UInt8Image img = new UInt8Image(5, 4, 3);
		for (int y = 0; y < 4; y++)
			for (int x = 0; x < 5; x++)
				for (int c = 0; c < 3; c++)
					img.set(x, y, c, ((y * 5 + x) * 3 + c) * 37 % 256);
		final UInt8Image up = MatlabBicubic.resize(img, 3.0);
		assertEquals(15, up.width());
		assertEquals(12, up.height());
		final int[] green = new int[15 * 12];
		for (int y = 0; y < 12; y++)
			for (int x = 0; x < 15; x++)
				green[y * 15 + x] = up.get(x, y, 1);
		assertArrayEquals(UINT8_TRIPLE_GREEN, green);
	}

	@Test
	void constantStaysConstantAndSizesAreCeiled() {
		final UInt8Image img = new UInt8Image(7, 5, 1);
		java.util.Arrays.fill(img.data(), (byte) 200);
		for (final double scale : new double[] { 0.5, 1.0 / 3, 0.25, 2, 3, 4 }) {
			final UInt8Image out = MatlabBicubic.resize(img, scale);
			assertEquals((int) Math.ceil(7 * scale), out.width());
			assertEquals((int) Math.ceil(5 * scale), out.height());
			for (final byte v : out.data())
				assertEquals(200, v & 0xff, "scale " + scale);
		}
	}

	@Test
	void modcropKeepsTopLeft() {
		final UInt8Image img = new UInt8Image(7, 5, 3);
		for (int i = 0; i < img.data().length; i++)
			img.data()[i] = (byte) i;
		final UInt8Image cropped = MatlabBicubic.modcrop(img, 3);
		assertEquals(6, cropped.width());
		assertEquals(3, cropped.height());
		assertEquals(img.get(5, 2, 2), cropped.get(5, 2, 2));
		assertEquals(img.get(0, 0, 1), cropped.get(0, 0, 1));
		assertThrows(IllegalArgumentException.class, () -> MatlabBicubic.modcrop(img, 0));
		assertThrows(IllegalArgumentException.class, () -> MatlabBicubic.resize(img, -2));
	}

	@Test
	void imgViewSharesData() {
		final UInt8Image img = new UInt8Image(4, 3, 3);
		img.set(2, 1, 2, 99);
		final net.imglib2.RandomAccess<net.imglib2.type.numeric.integer.UnsignedByteType> ra =
			img.asImg().randomAccess();
		ra.setPosition(new long[] { 2, 1, 2 });
		assertEquals(99, ra.get().get());
		final UInt8Image copy = UInt8Image.fromImg(img.asImg());
		assertArrayEquals(img.data(), copy.data());
	}

	/** Every Set5 / Set14 LR_bicubic file (x2, x3, x4, made by MATLAB) is reproduced bit for bit. */
	@Test
	void downscalingReproducesMatlabBenchmarkFiles() {
		final List<String> differing = new ArrayList<>();
		int count = 0;
		for (final String set : new String[] { "Set5", "Set14" }) {
			TestData.assumeSet(set);
			for (final String name : TestData.names(set)) {
				final UInt8Image hr = TestData.hr(set, name);
				for (final int scale : new int[] { 2, 3, 4 }) {
					final UInt8Image lr = MatlabBicubic.downscale(MatlabBicubic.modcrop(hr, scale), scale);
					final UInt8Image expected = TestData.lr(set, name, scale);
					count++;
					if (lr.width() != expected.width() || lr.height() != expected.height() ||
						lr.channels() != expected.channels())
					{
						differing.add(set + "/" + name + " x" + scale + ": " + lr.sizeString() + " vs " +
							expected.sizeString());
						continue;
					}
					int diff = 0;
					for (int i = 0; i < lr.data().length; i++)
						if (lr.data()[i] != expected.data()[i]) diff++;
					if (diff > 0) differing.add(set + "/" + name + " x" + scale + ": " + diff + " values");
				}
			}
		}
		System.out.println("MatlabBicubic downscaling: " + (count - differing.size()) + "/" + count +
			" benchmark LR images identical");
		assertEquals(57, count);
		assertTrue(differing.isEmpty(), "differ from MATLAB: " + differing);
	}
}
