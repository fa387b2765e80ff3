package org.promptsr.engine;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Caps oneDNN (libtorch's CPU convolution library) at SSE4.1 before libtorch loads, unless the user
 * chose a cap ({@code ONEDNN_MAX_CPU_ISA} or its old name {@code DNNL_MAX_CPU_ISA}).
 *
 * <p>Why: libtorch 2.7.1, the newest DJL offers on Maven Central, computes some fp32 3x3 convolutions
 * wrongly with oneDNN's AVX2 and AVX-512 kernels on an AMD EPYC with AVX-512 (measured 2026-11-28,
 * PyTorch 1.13 on the same machine is exact): the forward pass when the input has more than 16
 * channels and not a multiple of 16 (24, 40, ...: errors up to 0.5), and the input gradient when the
 * output has not a multiple of 16 channels (the x2 and x3 decoders, 12 and 27: LAM sums off by 15-45 %,
 * sometimes NaN). The shipped models' forward convolutions have 3 or 48 inputs and are exact on every
 * ISA; their gradients, and any model with other widths, are exact only at the SSE4.1 cap
 * ({@code OneDnnConvolutionTest}). The cap cost 4 % on {@code promptsr bench --scale 2 --size 256}
 * there: PromptSR's time is in attention and linear layers, which do not use oneDNN.
 *
 * <p>oneDNN reads the variable once, at its first convolution, so this must run before libtorch is
 * used; {@link DjlRuntime#configure()} calls it. If another Fiji plugin loaded libtorch first, the cap
 * cannot take effect. Windows is left alone (its C runtimes keep separate environments); set the
 * variable before starting Fiji there.
 */
final class OneDnnIsaCap {

	static final String VARIABLE = "ONEDNN_MAX_CPU_ISA";
	static final String OLD_VARIABLE = "DNNL_MAX_CPU_ISA";
	static final String CAP = "SSE41";

	private interface C extends Library {
		int setenv(String name, String value, int overwrite);
	}

	private OneDnnIsaCap() {}

	/** Sets the cap when the user has not; returns what oneDNN will see, for logs and messages. */
	static String apply() {
		String user = System.getenv(VARIABLE) != null ? System.getenv(VARIABLE) : System.getenv(OLD_VARIABLE);
		if (user != null) return "oneDNN ISA cap " + user + " (set by the user)";
		if (System.getProperty("os.name", "").toLowerCase().startsWith("windows"))
			return "oneDNN ISA uncapped (Windows: set " + VARIABLE + "=" + CAP + " before starting Fiji)";
		try {
			C c = Native.load("c", C.class);
			if (c.setenv(VARIABLE, CAP, 0) != 0) return "oneDNN ISA uncapped (setenv failed)";
			return "oneDNN ISA cap " + CAP;
		}
		catch (UnsatisfiedLinkError | RuntimeException e) {
			return "oneDNN ISA uncapped (" + e.getMessage() + ")";
		}
	}
}
