package org.promptsr.testutil;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.Menus;
import ij.WindowManager;
import ij.plugin.PlugIn;
import org.promptsr.commands.MacroOptions;
import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;

import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;

/**
 * A test stand-in for Fiji's imagej-legacy layer, so that ImageJ 1's own macro interpreter can run
 * {@code run("Label", "options")} on a SciJava command as Fiji does: the options become inputs through
 * {@link MacroOptions}, the current image is the image input, an image result is shown (and so becomes the
 * current image) and a cancel is written to the Log.
 */
public class LegacyBridge implements PlugIn {
	private static Context context;
	private static final Map<String, Class<? extends Command>> COMMANDS = new HashMap<>();

	public static synchronized void install(Context ctx, String label, Class<? extends Command> command) throws ReflectiveOperationException {
		context = ctx;
		COMMANDS.put(label, command);
		if (Menus.getCommands() == null) {
			// headless ImageJ 1 never builds its command table (that needs AWT menus): start an empty one
			Field table = Menus.class.getDeclaredField("pluginsTable");
			table.setAccessible(true);
			table.set(null, new Hashtable<String, String>());
		}
		@SuppressWarnings("unchecked")
		Hashtable<String, String> commands = Menus.getCommands();
		commands.put(label, LegacyBridge.class.getName() + "(\"" + label + "\")");
	}

	@Override
	public void run(String label) {
		CommandService commands = context.service(CommandService.class);
		CommandInfo info = commands.getCommand(COMMANDS.get(label));
		Map<String, Object> inputs = MacroOptions.values(info, Macro.getOptions());
		for (ModuleItem<?> item : info.inputs())
			if (ImagePlus.class.equals(item.getType())) inputs.put(item.getName(), WindowManager.getCurrentImage());
		try {
			CommandModule m = commands.run(info, true, inputs).get();
			if (m.isCanceled()) {
				IJ.log(label + ": " + m.getCancelReason());
				return;
			}
			for (ModuleItem<?> item : info.outputs())
				if (m.getOutput(item.getName()) instanceof ImagePlus) ((ImagePlus) m.getOutput(item.getName())).show();
		}
		catch (Exception e) {
			throw new IllegalStateException(label + " failed", e);
		}
	}
}
