package org.promptsr.commands;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.promptsr.testutil.BenchmarkFolders;
import org.promptsr.testutil.Fixtures;
import org.scijava.command.Command;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Recorded Fiji macro lines, run the way Fiji's macro layer runs them: every input comes from the options
 * string as text ({@link MacroOptions}, i.e. ImageJ 1's {@code Macro.getValue}), SciJava converts it, and
 * the command runs through the command service; an image input is the "active image".
 *
 * <p>To cover a new command, add its recorded macro lines to {@link #MACROS}:
 * {@code macro(MyCommand.class, "key=value ...", image or null, ok(module -> ...) or canceled("text"))}.
 * {@code {fixtures}}, {@code {hr}} and {@code {sr}} in an options string stand for the test model folder
 * and two small benchmark folders. {@link #everyPromptSRCommandHasARecordedMacro()} fails until every
 * command under Plugins > PromptSR has one.
 */
class RecordedMacroTest extends CommandTestBase {

	static final List<Macro> MACROS = Arrays.asList(
		macro(SuperResolutionCommand.class, "scale=2 model=File model_file=[{fixtures}/local-x2.pt] tile=24 overlap=8 device=cpu",
			() -> Fixtures.image(ImagePlus.GRAY8, 40, 30, 1, 1, 1, 1), ok(m -> {
				ImagePlus out = (ImagePlus) m.getOutput("result");
				assertEquals(80, out.getWidth());
				assertEquals(60, out.getHeight());
				assertEquals("test-x2.tif", out.getTitle());
			})),
		macro(SuperResolutionCommand.class, "scale=2 model=PromptSR model_file=[] tile=32 overlap=8 device=cpu",
			() -> Fixtures.image(ImagePlus.COLOR_RGB, 20, 16, 1, 1, 1, 2), ok(m -> {
				ImagePlus out = (ImagePlus) m.getOutput("result");
				assertEquals(40, out.getWidth());
				assertEquals(32, out.getHeight());
				assertEquals(24, out.getBitDepth());
				assertTrue(String.valueOf(out.getProperty("Info")).contains("promptsr-x2.pt"), String.valueOf(out.getProperty("Info")));
			})),
		macro(SuperResolutionCommand.class, "scale=3 model=File model_file=[{fixtures}/local-x2.pt] tile=24 overlap=8 device=cpu",
			() -> Fixtures.image(ImagePlus.GRAY8, 20, 20, 1, 1, 1, 1), canceled("upscales x2")),
		macro(SuperResolutionCommand.class, "scale=2 model=File model_file=[] tile=24 overlap=8 device=cpu",
			() -> Fixtures.image(ImagePlus.GRAY8, 20, 20, 1, 1, 1, 1), canceled("no model file")),
		// a hand-written line without model_file=[]: SciJava asks for the file, which headless means a cancel
		macro(SuperResolutionCommand.class, "scale=2 model=PromptSR tile=32 overlap=8 device=cpu",
			() -> Fixtures.image(ImagePlus.GRAY8, 20, 20, 1, 1, 1, 1), canceled("")),
		macro(EvaluateCommand.class, "hr_folder=[{hr}] scale=2 model=File model_file=[{fixtures}/nearest-x2.pt] sr_folder=[] gray=replicate device=cpu",
			null, ok(m -> {
				ResultsTable table = (ResultsTable) m.getOutput("table");
				assertEquals(3, table.size());
				assertTrue(table.columnExists("Bicubic PSNR"));
				assertTrue(((String) m.getOutput("summary")).contains("bicubic mean PSNR="));
			})),
		macro(EvaluateCommand.class, "hr_folder=[{hr}] scale=2 model=[SR folder] model_file=[] sr_folder=[{sr}] gray=gray device=auto",
			null, ok(m -> {
				ResultsTable table = (ResultsTable) m.getOutput("table");
				assertEquals(2, table.size());
				assertEquals("a_SRx2.png", table.getStringValue("SR file", 0));
			})),
		macro(EvaluateCommand.class, "hr_folder=[{hr}] scale=2 model=[SR folder] model_file=[] sr_folder=[] gray=replicate device=auto",
			null, canceled("no SR folder")),
		macro(LamCommand.class, "scale=2 model=File model_file=[{fixtures}/wsa-tiny-x2.pt] x=16 y=12 window=8 sigma=1.2 steps=3 kernel=5 alpha=0.5",
			() -> Fixtures.image(ImagePlus.GRAY8, 24, 20, 1, 1, 1, 3), ok(m -> {
				assertEquals(24, ((ImagePlus) m.getOutput("map")).getWidth());
				assertEquals(48, ((ImagePlus) m.getOutput("overlay")).getWidth());
				assertEquals(1, ((ResultsTable) m.getOutput("table")).size());
			})),
		macro(LamCommand.class, "scale=2 model=File model_file=[{fixtures}/wsa-tiny-x2.pt] x=40 y=0 window=8 sigma=1.2 steps=3 kernel=5 alpha=0.5",
			() -> Fixtures.image(ImagePlus.GRAY8, 24, 20, 1, 1, 1, 3), canceled("does not fit")),
		macro(AnchorPromptCommand.class, "source=Folder image_folder=[] model=File model_file=[{fixtures}/promptsr-tiny-x2.pt] scale=2 " +
			"size=16 fit=resize features=pooled perplexity=5 iterations=50 seed=1 output_folder=[] device=cpu",
			null, canceled("No image folder given")));

	@TempDir
	static Path folders;

	@BeforeAll
	static void writeFolders() throws Exception {
		BenchmarkFolders.write(BenchmarkFolders.smooth(40, 36, 3, 1), folders.resolve("hr/a.png"));
		BenchmarkFolders.write(BenchmarkFolders.smooth(38, 42, 1, 2), folders.resolve("hr/b.png"));
		BenchmarkFolders.write(BenchmarkFolders.smooth(40, 36, 3, 1), folders.resolve("sr/a_SRx2.png"));
	}

	static Stream<Macro> macros() {
		return MACROS.stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("macros")
	void recordedMacroRunsThroughTheModuleService(Macro macro) throws Exception {
		String options = macro.options.replace("{fixtures}", Fixtures.path("local-x2.pt").getParent().toString())
			.replace("{hr}", folders.resolve("hr").toString()).replace("{sr}", folders.resolve("sr").toString());
		CommandService commands = context.service(CommandService.class);
		CommandInfo info = commands.getCommand(macro.command);
		Map<String, Object> inputs = MacroOptions.values(info, options);
		if (!macro.options.contains("model_file") && info.getInput("model_file") != null)
			assertNull(inputs.get("model_file"), "absent keys stay absent");
		else for (ModuleItem<?> item : info.inputs())
			if (MacroOptions.isMacroInput(item) && !ImagePlus.class.equals(item.getType()))
				assertTrue(inputs.get(item.getName()) instanceof String, "recorded macro lacks " + item.getName());
		ImagePlus image = macro.image == null ? null : macro.image.get();
		Object[] before = image == null ? null : Fixtures.snapshot(image);
		if (image != null) inputs.put("image", image);

		CommandModule m = commands.run(info, true, inputs).get();
		if (macro.expect.cancel == null) {
			assertFalse(m.isCanceled(), String.valueOf(m.getCancelReason()));
			macro.expect.check.accept(m);
		}
		else {
			assertTrue(m.isCanceled(), "expected a cancel with '" + macro.expect.cancel + "'");
			assertTrue(m.getCancelReason().contains(macro.expect.cancel), m.getCancelReason());
			for (ModuleItem<?> item : info.outputs())
				assertNull(m.getOutput(item.getName()), "output " + item.getName() + " after a cancel");
		}
		if (image != null) assertTrue(Fixtures.unchanged(image, before), "the input image was modified");
	}

	@Test
	void everyPromptSRCommandHasARecordedMacro() {
		Set<String> covered = MACROS.stream().map(m -> m.command.getName()).collect(Collectors.toSet());
		List<CommandInfo> ours = promptSRCommands();
		assertTrue(ours.size() >= 2, "commands not indexed");
		for (CommandInfo info : ours)
			assertTrue(covered.contains(info.getClassName()), "add a recorded macro for " + info.getClassName() + " to MACROS");
	}

	@Test
	void macroKeysAreUnambiguousForImageJ() {
		for (CommandInfo info : promptSRCommands())
			assertEquals(new ArrayList<String>(), MacroOptions.ambiguousKeys(info), info.getClassName());
	}

	@Test
	void optionsAreReadAsImageJReadsThem() {
		CommandInfo info = context.service(CommandService.class).getCommand(EvaluateCommand.class);
		Map<String, Object> v = MacroOptions.values(info, "hr_folder=[/data/my set/HR] scale=3 model=[SR folder] model_file=[]");
		assertEquals("/data/my set/HR", v.get("hr_folder"));
		assertEquals("3", v.get("scale"));
		assertEquals("SR folder", v.get("model"));
		assertEquals("", v.get("model_file"));
		assertFalse(v.containsKey("gray"), "absent keys keep the command's default");
		assertFalse(v.containsKey("sr_folder"));
	}

	private static List<CommandInfo> promptSRCommands() {
		List<CommandInfo> ours = new ArrayList<>();
		for (CommandInfo info : context.service(CommandService.class).getCommands())
			if (info.getMenuPath() != null && info.getMenuPath().size() > 2 && info.getMenuPath().get(1).getName().equals("PromptSR"))
				ours.add(info);
		return ours;
	}

	// -- the table's vocabulary --

	static Macro macro(Class<? extends Command> command, String options, Supplier<ImagePlus> image, Expect expect) {
		return new Macro(command, options, image, expect);
	}

	static Expect ok(Consumer<CommandModule> check) {
		return new Expect(null, check);
	}

	static Expect canceled(String reasonContains) {
		return new Expect(reasonContains, null);
	}

	static final class Macro {
		final Class<? extends Command> command;
		final String options;
		final Supplier<ImagePlus> image;
		final Expect expect;

		Macro(Class<? extends Command> command, String options, Supplier<ImagePlus> image, Expect expect) {
			this.command = command;
			this.options = options;
			this.image = image;
			this.expect = expect;
		}

		@Override
		public String toString() {
			return command.getSimpleName() + " \"" + options + "\"" + (expect.cancel == null ? "" : " -> cancel");
		}
	}

	static final class Expect {
		final String cancel;
		final Consumer<CommandModule> check;

		Expect(String cancel, Consumer<CommandModule> check) {
			this.cancel = cancel;
			this.check = check;
		}
	}
}
