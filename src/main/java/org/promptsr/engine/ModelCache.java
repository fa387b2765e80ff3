package org.promptsr.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Loaded models shared between runs: each (file, device) is loaded once. Owned by whoever creates
 * it (the SciJava {@code ModelService} in Fiji, the command line's main); closing it frees them.
 */
public final class ModelCache implements AutoCloseable {
	private final Map<String, TorchScriptModel> models = new HashMap<>();

	public synchronized TorchScriptModel get(Path weights, DeviceChoice device) throws IOException {
		String key = weights.toAbsolutePath().normalize() + "|" + device;
		TorchScriptModel model = models.get(key);
		if (model == null) {
			model = TorchScriptModel.load(weights, device);
			models.put(key, model);
		}
		return model;
	}

	@Override
	public synchronized void close() {
		for (TorchScriptModel m : models.values())
			m.close();
		models.clear();
	}
}
