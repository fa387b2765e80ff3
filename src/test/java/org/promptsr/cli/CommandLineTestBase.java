package org.promptsr.cli;

import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Runs {@link Main} in-process and keeps what it printed, for the command-line tests. */
abstract class CommandLineTestBase {
	@TempDir
	Path tmp;

	/** What the last {@link #run} printed on standard output and standard error. */
	String out;
	String err;

	int run(String... args) {
		ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
		int rc = Main.run(args, new PrintStream(o, true), new PrintStream(e, true));
		out = new String(o.toByteArray(), StandardCharsets.UTF_8);
		err = new String(e.toByteArray(), StandardCharsets.UTF_8);
		return rc;
	}
}
