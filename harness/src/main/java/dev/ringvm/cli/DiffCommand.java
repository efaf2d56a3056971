package dev.ringvm.cli;

import dev.ringvm.model.ExitCode;
import dev.ringvm.verdict.Judge;
import dev.ringvm.verdict.JudgedCase;
import dev.ringvm.verdict.JudgedVm;
import dev.ringvm.verdict.Judgement;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "List the cells (kernel x memory x case) whose verdict or outcome differs between two run "
                + "directories. Exit 0 when nothing changed, 1 when something did.")
final class DiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_A")
    Path a;

    @Parameters(index = "1", paramLabel = "RUN_B")
    Path b;

    @Override
    public Integer call() throws Exception {
        List<String> changes = diff(Judge.standard(ReportCommand.load(a)), Judge.standard(ReportCommand.load(b)));
        PrintWriter out = spec.commandLine().getOut();
        changes.forEach(out::println);
        out.flush();
        spec.commandLine().getErr().println(changes.isEmpty() ? "no changes" : changes.size() + " change(s)");
        return (changes.isEmpty() ? ExitCode.OK : ExitCode.UNEXPECTED).code();
    }

    /** One line per changed cell: {@code debian-6.12-512M memalign/sq4096: PASS ok -> REGRESSION EINVAL}. */
    static List<String> diff(Judgement x, Judgement y) {
        Map<String, String> before = cells(x);
        Map<String, String> after = cells(y);
        List<String> out = new ArrayList<>();
        before.forEach((k, v) -> {
            String w = after.get(k);
            if (w == null) out.add(k + ": " + v + " -> (absent)");
            else if (!w.equals(v)) out.add(k + ": " + v + " -> " + w);
        });
        after.forEach((k, w) -> {
            if (!before.containsKey(k)) out.add(k + ": (absent) -> " + w);
        });
        return out;
    }

    private static Map<String, String> cells(Judgement j) {
        Map<String, String> m = new LinkedHashMap<>();
        for (JudgedVm vm : j.vms()) {
            String vmState = vm.verdict() == dev.ringvm.verdict.Verdict.INFRA && !vm.complete() ? "INFRA" : null;
            if (vmState != null) m.put(vm.cell() + " vm", vmState);
            for (JudgedCase c : vm.cases()) m.put(vm.cell() + " " + c.id(), c.verdict() + " " + c.outcome());
        }
        return m;
    }
}
