package dev.ringvm.cli;

import dev.ringvm.model.ExitCode;
import dev.ringvm.config.ConfigLoader;
import dev.ringvm.config.KernelEntry;
import dev.ringvm.config.MatrixConfig;
import dev.ringvm.host.CacheDirs;
import dev.ringvm.kernel.KernelResolver;
import dev.ringvm.kernel.KernelUnavailableException;
import dev.ringvm.model.ResolvedKernel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ringvm kernels}: resolve, fetch and build every kernel of the matrix without booting; print a table. */
@Command(name = "kernels", mixinStandardHelpOptions = true,
        description = "Resolve, download and build every kernel of the matrix without booting; print what each resolved to.")
final class KernelsCommand implements Callable<Integer> {

    static final List<String> HEADER = List.of("id", "source", "version", "sha256", "cache", "state");

    @Spec
    CommandSpec spec;

    @Mixin
    SourceOptions sources;

    /** One table row: the resolved kernel, or null with the reason it is unavailable. */
    record Row(KernelEntry entry, ResolvedKernel kernel, String reason) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        RunCommand.Log log = new RunCommand.Log(err);
        MatrixConfig config = ConfigLoader.load(sources.kernelsFile());
        KernelResolver resolver = sources.resolver(CacheDirs.root(sources.cache), config.file(), log::line);
        List<Row> rows = new ArrayList<>();
        for (KernelEntry k : config.kernels()) {
            try {
                rows.add(new Row(k, resolver.resolve(k), null));
            } catch (KernelUnavailableException e) {
                log.line("unavailable: " + e.getMessage());
                rows.add(new Row(k, null, e.getMessage()));
            }
        }
        out.print(render(rows));
        out.flush();
        return rows.stream().allMatch(r -> r.kernel() != null) ? ExitCode.OK.code() : ExitCode.INFRA.code();
    }

    /** The table, columns padded to their widest cell; pure, unit-tested. */
    static String render(List<Row> rows) {
        List<List<String>> cells = new ArrayList<>();
        cells.add(HEADER);
        for (Row r : rows) {
            ResolvedKernel k = r.kernel();
            if (k == null) {
                cells.add(List.of(r.entry().id(), r.entry().source().describe(), "-", "-", "-",
                        "unavailable: " + stripId(r.entry().id(), r.reason())));
            } else {
                cells.add(List.of(k.id(), k.source().describe(), k.release(),
                        k.sha256() == null ? "-" : k.sha256().substring(0, 12),
                        k.image() == null ? "-" : k.image().toString(), "ready"));
            }
        }
        int[] width = new int[HEADER.size()];
        for (List<String> row : cells) {
            for (int i = 0; i < row.size(); i++) width[i] = Math.max(width[i], row.get(i).length());
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> row : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + (width[i] + 2) + "s", row.get(i)));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /** Where a resolved kernel came from, for one log line: package and version, the .deb, or the image path. */
    static String origin(ResolvedKernel r) {
        if (r.image() == null) return "the running kernel";
        if (r.packageName() != null) return r.packageName() + (r.packageVersion() != null ? " " + r.packageVersion() : "");
        return r.image().toString();
    }

    /** Messages start with "kernel ID: "; the table already names the kernel. */
    private static String stripId(String id, String reason) {
        String prefix = "kernel " + id + ": ";
        return reason != null && reason.startsWith(prefix) ? reason.substring(prefix.length()) : String.valueOf(reason);
    }
}
