// PromptSR: upscale every TIFF/PNG image in a folder; results go to another folder as NAME-xSCALE.tif.
//
// Headless (no window):
//   ./ImageJ-linux64 --headless --console -macro batch_upscale.ijm "input=[/data/lr] output=[/data/sr] scale=2"
// optional keys: device=auto|cpu|gpu (default auto), tile=128, overlap=16, model=PromptSR|PromptSR*
// In Fiji: Plugins > Macros > Run..., then choose the two folders.

args = getArgument();
input = call("ij.Macro.getValue", args, "input", "");
output = call("ij.Macro.getValue", args, "output", "");
scale = call("ij.Macro.getValue", args, "scale", "2");
model = call("ij.Macro.getValue", args, "model", "PromptSR");
device = call("ij.Macro.getValue", args, "device", "auto");
tile = call("ij.Macro.getValue", args, "tile", "128");
overlap = call("ij.Macro.getValue", args, "overlap", "16");
if (input == "") input = getDirectory("Folder with the images to upscale");
if (output == "") output = getDirectory("Folder for the results");
if (!endsWith(input, "/") && !endsWith(input, File.separator)) input = input + File.separator;
if (!endsWith(output, "/") && !endsWith(output, File.separator)) output = output + File.separator;
if (!File.isDirectory(input)) exit("PromptSR batch: no folder " + input);
File.makeDirectory(output);

setBatchMode(true);
files = getFileList(input);
count = 0;
for (i = 0; i < files.length; i++) {
	name = files[i];
	lower = toLowerCase(name);
	if (!endsWith(lower, ".tif") && !endsWith(lower, ".tiff") && !endsWith(lower, ".png"))
		continue;
	open(input + name);
	source = getImageID();
	run("Super-Resolution", "scale=" + scale + " model=[" + model + "] model_file=[] tile=" + tile +
		" overlap=" + overlap + " device=" + device);
	if (nImages < 2 || getImageID() == source)
		exit("PromptSR batch: no result for " + name + " (see the Log or Console for the reason)");
	saveAs("Tiff", output + File.getNameWithoutExtension(name) + "-x" + scale + ".tif");
	print("PromptSR batch: " + name + " -> " + getTitle() + " (" + getWidth() + "x" + getHeight() + ")");
	close("*");
	count++;
}
print("PromptSR batch: upscaled " + count + " image(s) into " + output);
