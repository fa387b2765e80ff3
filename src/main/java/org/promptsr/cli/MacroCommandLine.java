package org.promptsr.cli;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import org.promptsr.commands.MacroOptions;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;

/**
 * {@code promptsr run "Label" "key=value ..." [IMAGE] [-o OUT]}: runs a command the way the Fiji macro line
 * {@code run("Label", "key=value ...")} does, through SciJava's command service with the options as
 * strings ({@link MacroOptions}). IMAGE fills the command's image input (Fiji's active image); an image
 * result is written to OUT, a table result to OUT as CSV; text results and the result's model and
 * device are printed.
 */
final class MacroCommandLine {
	static final String USAGE = "usage: promptsr run \"Menu label\" \"key=value key2=[value with spaces] ...\" [IMAGE] [-o OUT]\n" +
		"  e.g. promptsr run Super-Resolution \"scale=2 model=PromptSR model_file=[] tile=128 overlap=16 device=cpu\" in.tif -o out.tif";

	private MacroCommandLine() {}

	static int run(String[] argv, PrintStream out) throws Exception {
		Args a = Args.parse(argv, 1, new HashSet<>(Arrays.asList("o", "output")));
		if (a.positionals.size() < 2 || a.positionals.size() > 3) throw new IllegalArgumentException(USAGE);
		String label = a.positionals.get(0);
		String options = a.positionals.get(1);
		String output = a.options.containsKey("o") ? a.options.get("o") : a.options.get("output");
		Context context = new Context();
		try {
			CommandService commands = context.service(CommandService.class);
			CommandInfo info = MacroOptions.find(commands, label);
			Map<String, Object> inputs = MacroOptions.values(info, options);
			for (ModuleItem<?> item : info.inputs()) {
				if (!ImagePlus.class.equals(item.getType())) continue;
				if (a.positionals.size() < 3) throw new IllegalArgumentException("'" + label + "' needs an image: give IMAGE");
				inputs.put(item.getName(), ImageFiles.read(Paths.get(a.positionals.get(2))));
			}
			CommandModule m = commands.run(info, true, inputs).get();
			if (m.isCanceled()) {
				String reason = m.getCancelReason();
				out.println("canceled: " + (reason == null || reason.isEmpty() ? "no reason given. SciJava asked for an input " +
					"the options leave out, and nobody can answer headless: give every key of the recorded line, e.g. model_file=[]" : reason));
				return 1;
			}
			for (ModuleItem<?> item : info.outputs())
				report(item.getName(), m.getOutput(item.getName()), output, out);
			return 0;
		}
		finally {
			context.dispose();
		}
	}

	private static void report(String name, Object value, String output, PrintStream out) throws Exception {
		if (value instanceof ImagePlus) {
			ImagePlus imp = (ImagePlus) value;
			Object info = imp.getProperty("Info");
			if (info != null) out.println(info);
			if (output == null) throw new IllegalArgumentException("an image result needs -o OUT");
			Path target = Paths.get(output);
			ImageFiles.write(imp, target);
			out.printf("%s: %s (%dx%d, %d-bit) -> %s%n", name, imp.getTitle(), imp.getWidth(), imp.getHeight(), imp.getBitDepth(), target);
		}
		else if (value instanceof ResultsTable) {
			ResultsTable table = (ResultsTable) value;
			if (output != null) {
				table.save(output);
				out.println(name + ": " + table.size() + " rows -> " + output);
			}
			else out.println(name + ": " + table.size() + " rows");
		}
		else if (value != null) out.println(value);
	}
}
