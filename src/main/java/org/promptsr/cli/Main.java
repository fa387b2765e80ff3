package org.promptsr.cli;

import java.io.PrintStream;

/** The command line: {@code scripts/promptsr <subcommand> ...}. */
public final class Main {
	static final String USAGE = "usage: promptsr <command> [options]\n" +
		"commands:\n" +
		"  sr      upscale TIFF/PNG images x2, x3 or x4\n" +
		"  eval    Y-channel PSNR/SSIM of a model or of SR images on a benchmark folder (HR images)\n" +
		"  lam     LAM attribution map: which input pixels a window of the SR output depends on\n" +
		"  prompts anchor prompts of a folder of images (subfolders = categories): t-SNE maps, plots, silhouettes\n" +
		"  demo    upscale a generated resolution target with the shipped model and print the result's path\n" +
		"  bench   print throughput, tiling overhead and memory figures\n" +
		"  run     run a PromptSR command as the Fiji macro line run(\"Label\", \"options\") does, headless\n" +
		"run 'promptsr <command> --help' for its options";

	private Main() {}

	public static void main(String[] args) {
		System.exit(run(args, System.out, System.err));
	}

	static int run(String[] args, PrintStream out, PrintStream err) {
		if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
			out.println(USAGE);
			return args.length == 0 ? 2 : 0;
		}
		String command = args[0];
		boolean help = args.length > 1 && (args[1].equals("-h") || args[1].equals("--help"));
		try {
			switch (command) {
				case "sr":
					if (help) {
						out.println(SrCommandLine.USAGE);
						return 0;
					}
					return SrCommandLine.run(args, out);
				case "eval":
					if (help) {
						out.println(EvalCommandLine.USAGE);
						return 0;
					}
					return EvalCommandLine.run(args, out);
				case "lam":
					if (help) {
						out.println(LamCommandLine.USAGE);
						return 0;
					}
					return LamCommandLine.run(args, out);
				case "prompts":
					if (help) {
						out.println(PromptsCommandLine.USAGE);
						return 0;
					}
					return PromptsCommandLine.run(args, out);
				case "demo":
					return Demo.run(args, out);
				case "bench":
					return Benchmark.run(args, out);
				case "run":
					if (help) {
						out.println(MacroCommandLine.USAGE);
						return 0;
					}
					return MacroCommandLine.run(args, out);
				default:
					err.println("promptsr: unknown command '" + command + "'\n" + USAGE);
					return 2;
			}
		}
		catch (IllegalArgumentException e) {
			err.println("promptsr " + command + ": " + e.getMessage());
			return 2;
		}
		catch (Exception e) {
			err.println("promptsr " + command + ": " + e);
			return 1;
		}
	}
}
