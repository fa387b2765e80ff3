package org.promptsr.commands;

import ij.IJ;
import org.scijava.app.StatusService;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;

import java.awt.GraphicsEnvironment;
import java.util.concurrent.CancellationException;

/**
 * What every PromptSR command does around its work: a cancel or a failure leaves no outputs (so a
 * partial result never looks complete), bad input is reported with its own message, other failures are
 * logged, and the status bar is cleared at the end.
 */
abstract class PromptSRCommand extends ContextCommand {

	@Parameter(required = false)
	protected StatusService status;

	@Parameter(required = false)
	protected LogService log;

	/** The command's work; throws {@link IllegalArgumentException} for bad input. */
	protected abstract void compute() throws Exception;

	/** Sets every output to null. */
	protected abstract void clearOutputs();

	/** Names the work in messages, e.g. "LAM". */
	protected abstract String task();

	/** Shown when the user cancels. */
	protected String canceledMessage() {
		return task() + " canceled; no result was created.";
	}

	@Override
	public final void run() {
		try {
			compute();
		}
		catch (CancellationException e) {
			clearOutputs();
			cancel(canceledMessage());
		}
		catch (IllegalArgumentException e) {
			clearOutputs();
			cancel(e.getMessage());
		}
		catch (Exception e) {
			clearOutputs();
			if (log != null) log.error(e);
			cancel(task() + " failed: " + e.getMessage());
		}
		finally {
			if (status != null) status.clearStatus();
		}
	}

	/** Canceled through SciJava, or by Esc in a GUI session. */
	protected boolean userCanceled() {
		return isCanceled() || (!GraphicsEnvironment.isHeadless() && IJ.escapePressed());
	}

	protected void showProgress(String message, int done, int total) {
		if (status == null) return;
		status.showProgress(done, total);
		status.showStatus(message);
	}
}
