package org.promptsr.cli;

import ij.ImagePlus;
import ij.process.ByteProcessor;
import org.promptsr.engine.ModelLocator;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashSet;

/**
 * {@code promptsr demo [--scale S] [-o DIR]}: writes a generated resolution target (a Siemens star
 * and bar groups), upscales it with the shipped model and prints the result's path.
 */
final class Demo {
	private Demo() {}

	static int run(String[] argv, PrintStream out) throws Exception {
		Args a = Args.parse(argv, 1, new HashSet<>(Arrays.asList("scale", "o", "model", "device")));
		int scale = a.getInt("scale", ModelLocator.standard().largestInstalledScale(ModelLocator.PROMPTSR));
		Path dir = Paths.get(a.get("o", "promptsr-demo"));
		Path input = dir.resolve("resolution-target.png");
		ImageFiles.write(new ImagePlus("resolution-target", resolutionTarget(192)), input);
		out.println("input  " + input.toAbsolutePath());
		String[] sr = { "sr", "--scale", Integer.toString(scale), "--model", a.get("model", ModelLocator.PROMPTSR),
			"--device", a.get("device", "auto"), input.toString(), "-o", dir.toString() };
		int rc = SrCommandLine.run(sr, out);
		out.println("result " + dir.resolve("resolution-target-x" + scale + ".png").toAbsolutePath());
		return rc;
	}

	/** 8-bit target: Siemens star (36 spokes) on the left, bars of periods 2..8 px on the right. */
	static ByteProcessor resolutionTarget(int size) {
		ByteProcessor ip = new ByteProcessor(size + size / 2, size);
		int sub = 4;
		double cx = size / 2.0, cy = size / 2.0, radius = size * 0.45;
		for (int y = 0; y < size; y++)
			for (int x = 0; x < ip.getWidth(); x++) {
				double acc = 0;
				for (int j = 0; j < sub; j++)
					for (int i = 0; i < sub; i++) {
						double px = x + (i + 0.5) / sub, py = y + (j + 0.5) / sub;
						acc += x < size ? star(px - cx, py - cy, radius) : bars(px - size, py, size);
					}
				ip.set(x, y, (int) Math.round(30 + 200 * acc / (sub * sub)));
			}
		return ip;
	}

	private static double star(double dx, double dy, double radius) {
		double r = Math.hypot(dx, dy);
		if (r > radius) return 0.5;
		return Math.sin(18 * Math.atan2(dy, dx)) >= 0 ? 1 : 0;
	}

	private static double bars(double x, double y, int size) {
		int group = (int) (y / (size / 4.0));
		double period = 2 + 2 * group;
		return (Math.floor(x / (period / 2)) % 2 == 0) ? 1 : 0;
	}
}
