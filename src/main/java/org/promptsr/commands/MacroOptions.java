package org.promptsr.commands;

import ij.Macro;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleInfo;
import org.scijava.module.ModuleItem;
import org.scijava.service.Service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How Fiji fills a SciJava command's inputs from a macro line {@code run("Label", "key=value key2=[a b]")}:
 * for every input, ImageJ 1's {@link Macro#getValue} finds {@code name=} in the options (keys lower-case,
 * a bracketed value may hold spaces) and SciJava's convert service turns the string into the input's type
 * (imagej-legacy's MacroPreprocessor). This class gives the same strings to
 * {@code CommandService.run(info, true, values)}, so a recorded macro runs the same way headless.
 *
 * <p>Inputs absent from the options are left out and stay unresolved, as in Fiji. Beware: if the only
 * unresolved input is a {@code File} (e.g. {@code model_file}), SciJava's file preprocessor asks for it
 * (a file chooser in Fiji; headless, a cancel with an empty reason). Recorded macros list every key.
 */
public final class MacroOptions {

	private MacroOptions() {}

	/** The input values an options string gives, as strings, by input name. */
	public static Map<String, Object> values(ModuleInfo info, String options) {
		Map<String, Object> values = new LinkedHashMap<>();
		String padded = options == null ? "" : options + " ";
		for (ModuleItem<?> input : info.inputs()) {
			if (!isMacroInput(input)) continue;
			String value = Macro.getValue(padded, input.getName(), null);
			if (value != null) values.put(input.getName(), value);
		}
		return values;
	}

	/**
	 * Input names that ImageJ 1 would mix up: it finds {@code file=} inside {@code model_file=} (only a
	 * letter before the key stops the match), and it compares keys lower-cased. Each entry names the pair.
	 */
	public static List<String> ambiguousKeys(ModuleInfo info) {
		List<String> names = new ArrayList<>();
		for (ModuleItem<?> input : info.inputs())
			if (isMacroInput(input)) names.add(input.getName().toLowerCase(java.util.Locale.ROOT));
		List<String> clashes = new ArrayList<>();
		for (int i = 0; i < names.size(); i++) {
			for (int k = 0; k < names.size(); k++) {
				String a = names.get(i), b = names.get(k);
				if (i == k) continue;
				if (a.equals(b) && i < k) clashes.add(a + " twice (case-insensitive)");
				else if (b.length() > a.length() && b.endsWith(a) && !Character.isLetter(b.charAt(b.length() - a.length() - 1)))
					clashes.add(a + " inside " + b);
			}
		}
		return clashes;
	}

	/** An input a macro can set: not a service or the context, which SciJava fills itself. */
	public static boolean isMacroInput(ModuleItem<?> input) {
		return !Service.class.isAssignableFrom(input.getType()) && !Context.class.isAssignableFrom(input.getType());
	}

	/** The command whose menu entry is {@code label} (as in {@code run("label", ...)}) or whose class is named so. */
	public static CommandInfo find(CommandService commands, String label) {
		for (CommandInfo info : commands.getCommands()) {
			if (info.getMenuPath() != null && info.getMenuPath().getLeaf() != null &&
				label.equals(info.getMenuPath().getLeaf().getName())) return info;
			if (label.equals(info.getClassName())) return info;
		}
		throw new IllegalArgumentException("no command '" + label + "'");
	}
}
