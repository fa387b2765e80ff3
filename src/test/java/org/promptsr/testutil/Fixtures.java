package org.promptsr.testutil;

import ij.ImagePlus;
import ij.ImageStack;
import org.promptsr.engine.DeviceChoice;
import org.promptsr.engine.ModelCache;
import org.promptsr.engine.TorchScriptModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Random;

/** Test models (made by scripts/promptsr_torch/fixtures.py) and test images. */
public final class Fixtures {
	private static final ModelCache MODELS = new ModelCache();

	private Fixtures() {}

	public static Path path(String file) {
		try {
			return Paths.get(Fixtures.class.getResource("/fixtures/" + file).toURI());
		}
		catch (URISyntaxException | NullPointerException e) {
			throw new IllegalStateException("missing test fixture " + file, e);
		}
	}

	/** Loaded once per test JVM. */
	public static TorchScriptModel model(String name) {
		try {
			return MODELS.get(path(name + ".pt"), DeviceChoice.CPU);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** A stack whose planes all differ, in (c, z, t) order, filled with smooth random values. */
	public static ImagePlus image(int type, int w, int h, int c, int z, int t, long seed) {
		Random r = new Random(seed);
		ImageStack stack = new ImageStack(w, h);
		for (int i = 0; i < c * z * t; i++) {
			Object px;
			switch (type) {
				case ImagePlus.GRAY8: {
					byte[] a = new byte[w * h];
					for (int k = 0; k < a.length; k++) a[k] = (byte) r.nextInt(256);
					px = a;
					break;
				}
				case ImagePlus.GRAY16: {
					short[] a = new short[w * h];
					for (int k = 0; k < a.length; k++) a[k] = (short) (100 * i + r.nextInt(4000));
					px = a;
					break;
				}
				case ImagePlus.GRAY32: {
					float[] a = new float[w * h];
					for (int k = 0; k < a.length; k++) a[k] = (float) (i - 3 + r.nextGaussian() * 10);
					px = a;
					break;
				}
				default: {
					int[] a = new int[w * h];
					for (int k = 0; k < a.length; k++) a[k] = 0xff000000 | r.nextInt(1 << 24);
					px = a;
				}
			}
			stack.addSlice("plane " + (i + 1), px);
		}
		ImagePlus imp = new ImagePlus("test.tif", stack);
		imp.setDimensions(c, z, t);
		if (c * z * t > 1 && (c > 1 ? 1 : 0) + (z > 1 ? 1 : 0) + (t > 1 ? 1 : 0) > 1) imp.setOpenAsHyperStack(true);
		return imp;
	}

	/** Deep copy of all pixel arrays, to check later that an image was not modified. */
	public static Object[] snapshot(ImagePlus imp) {
		Object[] copy = new Object[imp.getStackSize()];
		for (int i = 0; i < copy.length; i++) {
			Object px = imp.getStack().getPixels(i + 1);
			if (px instanceof byte[]) copy[i] = ((byte[]) px).clone();
			else if (px instanceof short[]) copy[i] = ((short[]) px).clone();
			else if (px instanceof float[]) copy[i] = ((float[]) px).clone();
			else copy[i] = ((int[]) px).clone();
		}
		return copy;
	}

	public static boolean unchanged(ImagePlus imp, Object[] snapshot) {
		return Arrays.deepEquals(snapshot(imp), snapshot);
	}
}
