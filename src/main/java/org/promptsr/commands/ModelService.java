package org.promptsr.commands;

import org.promptsr.engine.DeviceChoice;
import org.promptsr.engine.ModelCache;
import org.promptsr.engine.ModelLocator;
import org.promptsr.engine.TorchScriptModel;
import org.scijava.plugin.Plugin;
import org.scijava.service.AbstractService;
import org.scijava.service.SciJavaService;
import org.scijava.service.Service;

import java.io.IOException;
import java.nio.file.Path;

/** Keeps PromptSR models loaded for the lifetime of the SciJava context. */
@Plugin(type = Service.class)
public class ModelService extends AbstractService implements SciJavaService {
	private final ModelCache cache = new ModelCache();

	/** A menu choice (PromptSR, PromptSR*), a model name or a file path. */
	public TorchScriptModel model(String model, int scale, DeviceChoice device) throws IOException {
		Path path = ModelLocator.standard().resolve(model, scale);
		TorchScriptModel loaded = cache.get(path, device);
		if (loaded.scale() != scale)
			throw new IllegalArgumentException("Model " + path.getFileName() + " upscales x" + loaded.scale() +
				", not x" + scale + ". Choose scale " + loaded.scale() + " or another model.");
		return loaded;
	}

	@Override
	public void dispose() {
		cache.close();
	}
}
