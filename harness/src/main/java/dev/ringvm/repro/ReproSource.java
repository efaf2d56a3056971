package dev.ringvm.repro;

import dev.ringvm.probe.protocol.Backing;
import dev.ringvm.probe.protocol.CaseSpec;
import dev.ringvm.probe.protocol.Edge;
import dev.ringvm.probe.protocol.Layout;
import dev.ringvm.probe.protocol.SetupOption;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The C reproducer of one case: a fixed program ({@code repro/repro.c}, the probe's steps in C) and a block of
 * constants generated from the typed {@link CaseSpec}. Every enum of the spec is mapped by an exhaustive switch, so a
 * new backing, layout, flag or edge kind is a compile error here until the C program knows it. Pure.
 */
public final class ReproSource {
    static final String MARKER = "/*@CASE@*/";
    static final String BUILD = "gcc -O2 -Wall -static -o repro repro.c";

    private ReproSource() {}

    /**
     * Why {@code spec} has no C reproducer yet, or null when it has one: the reproducer covers the NO_MMAP rings in
     * the separate and liburing layouts with the five refused edges; not regions across two huge pages, the aliased
     * memfd region, or the other families (buffer rings, wait regions, resized rings).
     */
    public static String unsupported(CaseSpec spec) {
        if (spec.family() != dev.ringvm.probe.protocol.Family.RINGS) {
            return "no C reproducer for the " + spec.family().id() + " family yet (only the NO_MMAP rings); the probe's"
                    + " records and docs/verdicts.md describe the case";
        }
        if (spec.layout() == Layout.SPAN) return "no C reproducer for regions across two huge pages (span/) yet";
        if (spec.edge() != null && !spec.edge().refused()) return "no C reproducer for the aliased memfd region yet";
        return null;
    }

    /** The whole C file for {@code spec}; {@link #unsupported} must have said null. */
    public static String of(CaseSpec spec) {
        return template().replace(MARKER, constants(spec));
    }

    /** The generated block: the case's id, sizes, setup flags, backing, layout and edge as C constants. */
    static String constants(CaseSpec spec) {
        List<String> flags = new ArrayList<>(List.of("IORING_SETUP_NO_MMAP"));
        if (spec.cqsize()) flags.add("IORING_SETUP_CQSIZE");
        for (SetupOption o : SetupOption.values()) {
            if (!spec.has(o)) continue;
            flags.add(switch (o) {
                case SQE128 -> "IORING_SETUP_SQE128";
                case CQE32 -> "IORING_SETUP_CQE32";
                case NO_SQARRAY -> "IORING_SETUP_NO_SQARRAY";
                case REGISTERED_FD_ONLY -> "IORING_SETUP_REGISTERED_FD_ONLY";
            });
        }
        String backing = switch (spec.backing()) {
            case MEMALIGN -> "BACKING_MEMALIGN";
            case ANON -> "BACKING_ANON";
            case SHARED -> "BACKING_SHARED";
            case HUGETLB -> "BACKING_HUGETLB";
            case THP -> "BACKING_THP";
        };
        String layout = switch (spec.layout()) {
            case SEPARATE -> "LAYOUT_SEPARATE";
            case LIBURING -> "LAYOUT_LIBURING";
            case SPAN -> throw new IllegalArgumentException(unsupported(spec));
        };
        String edge = spec.edge() == null ? "EDGE_NONE" : switch (spec.edge()) {
            case UNALIGNED -> "EDGE_UNALIGNED";
            case NULL_ADDRESS -> "EDGE_NULL_ADDRESS";
            case UNMAPPED -> "EDGE_UNMAPPED";
            case HALF_UNMAPPED -> "EDGE_HALF_UNMAPPED";
            case READ_ONLY -> "EDGE_READ_ONLY";
            case ALIASED, ENABLED_RING -> throw new IllegalArgumentException(unsupported(spec));
        };
        StringBuilder b = new StringBuilder();
        b.append("enum backing { ").append(enumList("BACKING_", Backing.values())).append(" };\n");
        b.append("enum layout { ").append(enumList("LAYOUT_", Layout.values())).append(" };\n");
        b.append("enum edge { EDGE_NONE, ").append(enumList("EDGE_", Edge.values())).append(" };\n");
        b.append("#define CASE_ID \"").append(spec.id()).append("\"\n");
        b.append("#define SQ_ENTRIES ").append(spec.sqEntries()).append("U\n");
        b.append("#define CQ_ENTRIES ").append(spec.cqsize() ? spec.cqEntries() : 0).append("U /* with IORING_SETUP_CQSIZE */\n");
        b.append("#define SETUP_FLAGS (").append(String.join(" | ", flags)).append(")\n");
        b.append("#define BACKING ").append(backing).append(" /* ").append(backingText(spec.backing())).append(" */\n");
        b.append("#define LAYOUT ").append(layout).append("\n");
        b.append("#define EDGE ").append(edge).append("\n");
        b.append("#define EDGE_NAME \"").append(spec.edge() == null ? "" : spec.edge().id()).append("\"\n");
        return b.toString();
    }

    private static String enumList(String prefix, Enum<?>[] values) {
        List<String> names = new ArrayList<>();
        for (Enum<?> v : values) names.add(prefix + v.name());
        return String.join(", ", names);
    }

    static String backingText(Backing b) {
        return switch (b) {
            case MEMALIGN -> "posix_memalign, page aligned, 4 KiB pages";
            case ANON -> "mmap MAP_PRIVATE|MAP_ANONYMOUS";
            case SHARED -> "mmap MAP_SHARED|MAP_ANONYMOUS";
            case HUGETLB -> "mmap MAP_SHARED|MAP_HUGETLB, 2 MiB pages";
            case THP -> "mmap, 2 MiB aligned, madvise(MADV_HUGEPAGE)";
        };
    }

    private static String template() {
        try (InputStream in = ReproSource.class.getResourceAsStream("/repro/repro.c")) {
            if (in == null) throw new IllegalStateException("repro/repro.c missing from the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
