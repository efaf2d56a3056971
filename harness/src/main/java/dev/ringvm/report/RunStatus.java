package dev.ringvm.report;

import dev.ringvm.model.RunSummary;
import dev.ringvm.verdict.Judgement;

import java.util.ArrayList;
import java.util.List;

/** How a run ended, as every report words it: the real exit status and the lines that explain it. */
final class RunStatus {
    private RunStatus() {}

    /**
     * The exit status the run ended with: the signal's (128 + its number: 130 for SIGINT, 143 for SIGTERM) when a
     * signal stopped it, else the verdicts'.
     */
    static int exitCode(Judgement j) {
        RunSummary.Stop stop = j.run().context().stop();
        return stop != null && stop.bySignal() ? stop.exitCode() : j.exitCode().code();
    }

    /** The exit status with what caused it when that is not the verdicts: {@code 143 (SIGTERM)}. */
    static String exitLabel(Judgement j) {
        RunSummary.Stop stop = j.run().context().stop();
        return exitCode(j) + (stop != null && stop.bySignal() ? " (" + stop.reason() + ")" : "");
    }

    /** Why the run has fewer results than it planned, one line each; empty for a run that finished. */
    static List<String> notes(Judgement j) {
        RunSummary s = j.run();
        RunSummary.Context c = s.context();
        List<String> out = new ArrayList<>();
        if (c.running()) {
            out.add("running: the run has not finished; not yet run: " + String.join(", ", c.notRun()));
        } else if (c.interrupted()) {
            String why = c.stop() == null ? "interrupted" : c.stop().bySignal() ? "interrupted by " + c.stop().reason()
                    : "stopped: " + c.stop().reason();
            out.add(why + "; not run: " + (c.notRun().isEmpty() ? "none" : String.join(", ", c.notRun())));
        }
        if (s.nothingTested() && !c.running()) out.add("nothing was tested: no VM and no host probe ran");
        return out;
    }
}
