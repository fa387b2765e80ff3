package org.promptsr.engine;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JSON file beside each TorchScript model ({@code promptsr-x4.json} next to
 * {@code promptsr-x4.pt}): name, variant, scale, parameter count, training summary, measured
 * PSNR and the SHA-256 of the weights, which is checked before the model is loaded.
 */
public final class ModelCard {
	public final String name;
	public final String variant;
	public final int scale;
	public final long params;
	public final String sha256;
	public final JsonObject json;

	private ModelCard(JsonObject json, Path source) {
		this.json = json;
		this.name = string(json, "name", source);
		this.variant = json.has("variant") ? json.get("variant").getAsString() : "unknown";
		this.scale = json.has("scale") ? json.get("scale").getAsInt() : 0;
		this.params = json.has("params") ? json.get("params").getAsLong() : 0;
		this.sha256 = string(json, "sha256", source).toLowerCase();
		if (scale < 1) throw new IllegalArgumentException("Model card " + source + " has no valid 'scale'.");
	}

	public static ModelCard read(Path path) throws IOException {
		JsonElement root;
		try {
			root = JsonParser.parseString(new String(Files.readAllBytes(path), StandardCharsets.UTF_8));
		}
		catch (RuntimeException e) {
			throw new IOException("Model card " + path + " is not valid JSON: " + e.getMessage(), e);
		}
		if (!root.isJsonObject()) throw new IOException("Model card " + path + " is not a JSON object.");
		try {
			return new ModelCard(root.getAsJsonObject(), path);
		}
		catch (IllegalArgumentException e) {
			throw new IOException(e.getMessage(), e);
		}
	}

	/** The card that belongs to a weights file: same name, {@code .json} instead of {@code .pt}. */
	public static Path besides(Path weights) {
		String file = weights.getFileName().toString();
		int dot = file.lastIndexOf('.');
		return weights.resolveSibling((dot > 0 ? file.substring(0, dot) : file) + ".json");
	}

	private static String string(JsonObject json, String key, Path source) {
		if (!json.has(key) || !json.get(key).isJsonPrimitive())
			throw new IllegalArgumentException("Model card " + source + " lacks the field '" + key + "'.");
		return json.get(key).getAsString();
	}
}
