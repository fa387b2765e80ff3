package org.promptsr.testutil;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Named float32 arrays written by scripts/promptsr_torch/fixtures.py: a .bin of little-endian floats and a .json of offsets and shapes. */
public final class FloatFixture {
	public final JsonObject meta;
	private final ByteBuffer data;

	public FloatFixture(Path json) throws IOException {
		meta = JsonParser.parseString(new String(Files.readAllBytes(json), StandardCharsets.UTF_8)).getAsJsonObject();
		Path bin = json.resolveSibling(json.getFileName().toString().replaceFirst("\\.json$", ".bin"));
		data = ByteBuffer.wrap(Files.readAllBytes(bin)).order(ByteOrder.LITTLE_ENDIAN);
	}

	public long[] shape(String key) {
		JsonArray a = meta.getAsJsonObject(key).getAsJsonArray("shape");
		long[] s = new long[a.size()];
		for (int i = 0; i < s.length; i++)
			s[i] = a.get(i).getAsLong();
		return s;
	}

	public float[] array(String key) {
		long n = 1;
		for (long d : shape(key))
			n *= d;
		float[] out = new float[(int) n];
		ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
		b.position(meta.getAsJsonObject(key).get("offset").getAsInt());
		b.asFloatBuffer().get(out);
		return out;
	}

	public static double maxAbsDiff(float[] expected, float[] actual) {
		if (expected.length != actual.length)
			throw new AssertionError("lengths differ: " + expected.length + " vs " + actual.length);
		double max = 0;
		for (int i = 0; i < expected.length; i++)
			max = Math.max(max, Math.abs(expected[i] - actual[i]));
		return max;
	}
}
