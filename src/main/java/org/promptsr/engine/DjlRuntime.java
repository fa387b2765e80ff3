package org.promptsr.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.Callable;

/**
 * The one place that prepares DJL: offline (no downloads, no telemetry probe), the native cache
 * folder, the thread counts, oneDNN's instruction-set cap ({@link OneDnnIsaCap}), and the thread
 * context class loader that DJL uses to find its engines (Fiji runs plugins in their own class loader).
 *
 * <p>{@link #configure()} must run before any DJL class is loaded; every entry point that touches
 * DJL goes through {@link #call(Callable)}, which does both.
 */
public final class DjlRuntime {

	/** System property naming the folder where libtorch is extracted (default: DJL's own choice). */
	public static final String CACHE_PROPERTY = "promptsr.cache";
	/** System property with the number of intra-op threads (default: all cores). */
	public static final String THREADS_PROPERTY = "promptsr.threads";

	private static boolean configured;
	private static String oneDnn = "oneDNN ISA not configured yet";

	private DjlRuntime() {}

	public static synchronized void configure() {
		if (configured) return;
		oneDnn = OneDnnIsaCap.apply();
		setIfAbsent("ai.djl.offline", "true");
		String cache = System.getProperty(CACHE_PROPERTY);
		if (cache != null && !cache.isEmpty()) {
			setIfAbsent("ENGINE_CACHE_DIR", cache);
		}
		else if (System.getenv("ENGINE_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null
			&& System.getProperty("ENGINE_CACHE_DIR") == null && !writable(Paths.get(System.getProperty("user.home"))))
		{
			// A read-only home (cluster nodes, some Fiji installs) would make extraction fail.
			setIfAbsent("ENGINE_CACHE_DIR", Paths.get(System.getProperty("java.io.tmpdir"), ".djl.ai").toString());
		}
		String threads = System.getProperty(THREADS_PROPERTY,
			Integer.toString(Runtime.getRuntime().availableProcessors()));
		setIfAbsent("ai.djl.pytorch.num_threads", threads);
		setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
		configured = true;
	}

	/** The oneDNN ISA cap in effect, in words (see {@link OneDnnIsaCap}). */
	public static synchronized String oneDnn() {
		return oneDnn;
	}

	/** Runs {@code body} with DJL configured and this plugin's class loader as context loader. */
	public static <T> T call(Callable<T> body) throws Exception {
		configure();
		Thread thread = Thread.currentThread();
		ClassLoader previous = thread.getContextClassLoader();
		thread.setContextClassLoader(DjlRuntime.class.getClassLoader());
		try {
			return body.call();
		}
		finally {
			thread.setContextClassLoader(previous);
		}
	}

	private static void setIfAbsent(String key, String value) {
		if (System.getProperty(key) == null) System.setProperty(key, value);
	}

	private static boolean writable(Path dir) {
		return Files.isDirectory(dir) && Files.isWritable(dir);
	}
}
