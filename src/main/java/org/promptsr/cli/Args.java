package org.promptsr.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Minimal GNU-style option parsing: {@code --key value}, {@code -o value}, and positionals. */
final class Args {
	final Map<String, String> options = new HashMap<>();
	final List<String> positionals = new ArrayList<>();

	static Args parse(String[] argv, int from, Set<String> known) {
		return parse(argv, from, known, java.util.Collections.emptySet());
	}

	/** {@code flags} are options without a value (stored as "true"). */
	static Args parse(String[] argv, int from, Set<String> known, Set<String> flags) {
		Args a = new Args();
		for (int i = from; i < argv.length; i++) {
			String arg = argv[i];
			if (arg.startsWith("-") && arg.length() > 1) {
				String key = arg.replaceFirst("^--?", "");
				String value = null;
				int eq = key.indexOf('=');
				if (eq >= 0) {
					value = key.substring(eq + 1);
					key = key.substring(0, eq);
				}
				if (flags.contains(key) && value == null) value = "true";
				else if (!known.contains(key)) throw new IllegalArgumentException("unknown option " + arg);
				if (value == null) {
					if (i + 1 >= argv.length) throw new IllegalArgumentException("option " + arg + " needs a value");
					value = argv[++i];
				}
				a.options.put(key, value);
			}
			else a.positionals.add(arg);
		}
		return a;
	}

	String get(String key, String fallback) {
		return options.getOrDefault(key, fallback);
	}

	int getInt(String key, int fallback) {
		String v = options.get(key);
		if (v == null) return fallback;
		try {
			return Integer.parseInt(v.trim());
		}
		catch (NumberFormatException e) {
			throw new IllegalArgumentException("--" + key + " must be an integer, got '" + v + "'");
		}
	}

	double getDouble(String key, double fallback) {
		String v = options.get(key);
		if (v == null) return fallback;
		try {
			return Double.parseDouble(v.trim());
		}
		catch (NumberFormatException e) {
			throw new IllegalArgumentException("--" + key + " must be a number, got '" + v + "'");
		}
	}

	String require(String key) {
		String v = options.get(key);
		if (v == null) throw new IllegalArgumentException("--" + key + " is required");
		return v;
	}
}
