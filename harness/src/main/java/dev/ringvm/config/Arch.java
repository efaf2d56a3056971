package dev.ringvm.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A guest architecture: how kernels.yaml names it ({@code arch:}), how Debian names its packages, the QEMU system
 * emulator that boots it and the {@code uname -m} of a host that could run it under KVM.
 */
public enum Arch {
    X86_64("x86-64", "amd64", "qemu-system-x86_64", "x86_64"),
    ARM64("arm64", "arm64", "qemu-system-aarch64", "aarch64");

    /** The default when an entry says nothing: every kernel before arm64 was an x86-64 one. */
    public static final Arch DEFAULT = X86_64;

    private final String id;
    private final String debian;
    private final String qemu;
    private final String machine;

    Arch(String id, String debian, String qemu, String machine) {
        this.id = id;
        this.debian = debian;
        this.qemu = qemu;
        this.machine = machine;
    }

    /** kernels.yaml's and report.json's name: {@code x86-64}, {@code arm64}. */
    public String id() { return id; }

    /** Debian's architecture name ({@code dpkg --print-architecture}): {@code amd64}, {@code arm64}. */
    public String debian() { return debian; }

    /** The QEMU system emulator for this architecture. */
    public String qemu() { return qemu; }

    /** {@code uname -m} of a machine of this architecture: {@code x86_64}, {@code aarch64}. */
    public String machine() { return machine; }

    /** True when {@code osArch} ({@code os.arch}: amd64, x86_64, aarch64, arm64) names this architecture. */
    public boolean isHost(String osArch) {
        String a = osArch.toLowerCase(Locale.ROOT);
        return switch (this) {
            case X86_64 -> a.equals("amd64") || a.equals("x86_64");
            case ARM64 -> a.equals("aarch64") || a.equals("arm64");
        };
    }

    /** The architecture this JVM runs on, if it is one ringvm boots. */
    public static Optional<Arch> host() {
        String a = System.getProperty("os.arch", "");
        return Arrays.stream(values()).filter(x -> x.isHost(a)).findFirst();
    }

    /** By kernels.yaml name ({@code x86-64}, also {@code amd64}/{@code x86_64}; {@code arm64}, also {@code aarch64}). */
    public static Optional<Arch> parse(String s) {
        if (s == null) return Optional.empty();
        for (Arch a : values()) {
            if (a.id.equals(s) || a.debian.equals(s) || a.machine.equals(s)) return Optional.of(a);
        }
        return Optional.empty();
    }

    /** The names {@link #parse} accepts, for messages. */
    public static String names() {
        return Arrays.stream(values()).map(Arch::id).collect(Collectors.joining(", "));
    }
}
