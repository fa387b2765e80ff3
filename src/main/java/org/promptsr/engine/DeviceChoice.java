package org.promptsr.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;

import java.util.Locale;

/** What the user asked for: {@code auto} (GPU when DJL sees one), {@code cpu} or {@code gpu}. */
public enum DeviceChoice {
	AUTO, CPU, GPU;

	public static DeviceChoice parse(String text) {
		if (text == null || text.isEmpty()) return AUTO;
		try {
			return valueOf(text.trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException e) {
			throw new IllegalArgumentException("Unknown device '" + text + "': use auto, cpu or gpu.");
		}
	}

	/** The device to run on and, when it differs from what was asked, why. */
	public static final class Resolved {
		public final Device device;
		public final String note;

		Resolved(Device device, String note) {
			this.device = device;
			this.note = note;
		}

		public boolean isGpu() {
			return device.isGpu();
		}

		public String describe() {
			return (device.isGpu() ? "GPU " + device.getDeviceId() : "CPU") + (note.isEmpty() ? "" : " (" + note + ")");
		}
	}

	/** Must run inside {@link DjlRuntime#call}. */
	public Resolved resolve(Engine engine) {
		int gpus = engine.getGpuCount();
		switch (this) {
			case CPU:
				return new Resolved(Device.cpu(), "");
			case GPU:
				if (gpus > 0) return new Resolved(Device.gpu(), "");
				return new Resolved(Device.cpu(), "GPU requested but DJL's PyTorch engine sees no CUDA device " +
					"(no GPU, or no CUDA build of libtorch for the installed CUDA); ran on CPU instead");
			default:
				return gpus > 0 ? new Resolved(Device.gpu(), "") : new Resolved(Device.cpu(), "");
		}
	}
}
