package dev.ringvm.kernel;

import dev.ringvm.config.Arch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a packaged kernel must have built in to boot ringvm's guest, which loads no modules. On x86-64: the 8250
 * serial ports (console on ttyS0, probe results on ttyS1). On arm64 ({@code qemu-system-aarch64 -M virt}): the PL011
 * UART for the console (ttyAMA0) and a virtio console on the generic PCI host bridge for the probe results (hvc0),
 * since {@code virt} has one UART only. On both: the initramfs, and what /init mounts and runs. The guest has no disk
 * and no network. Checked against the kernel's own config file where its package (or, for Ubuntu's split packaging,
 * its linux-modules-* package) ships one. Pure; unit-tested.
 */
final class GuestKernelConfig {
    /** What every guest needs, whatever the architecture, each with what needs it. */
    static final Map<String, String> COMMON = orderedMap(
            "CONFIG_BLK_DEV_INITRD", "the initramfs",
            "CONFIG_DEVTMPFS", "/dev",
            "CONFIG_PROC_FS", "/proc",
            "CONFIG_SYSFS", "/sys",
            "CONFIG_TMPFS", "/tmp",
            "CONFIG_BINFMT_ELF", "busybox and java",
            "CONFIG_FUTEX", "the JVM",
            "CONFIG_EPOLL", "the JVM");

    /** x86-64 options that must be {@code =y}, each with what needs it. */
    static final Map<String, String> REQUIRED = with(orderedMap(
            "CONFIG_SERIAL_8250", "the serial ports",
            "CONFIG_SERIAL_8250_CONSOLE", "the console on ttyS0"), COMMON);

    /** arm64 options that must be {@code =y}, each with what needs it. */
    static final Map<String, String> REQUIRED_ARM64 = with(orderedMap(
            "CONFIG_SERIAL_AMBA_PL011", "the serial port of -M virt",
            "CONFIG_SERIAL_AMBA_PL011_CONSOLE", "the console on ttyAMA0",
            "CONFIG_PCI", "the virtio console's PCI device",
            "CONFIG_PCI_HOST_GENERIC", "the PCI host bridge of -M virt",
            "CONFIG_VIRTIO_PCI", "the virtio console's PCI transport",
            "CONFIG_VIRTIO_CONSOLE", "the probe results on hvc0"), COMMON);

    /** The options that must be {@code =y} for a guest of {@code arch}. */
    static Map<String, String> required(Arch arch) {
        return switch (arch) {
            case X86_64 -> REQUIRED;
            case ARM64 -> REQUIRED_ARM64;
        };
    }

    /** Where kernel packages put the config: Debian's and Ubuntu's /boot, Fedora's and RHEL's module directory. */
    static final Pattern CONFIG_ENTRY = Pattern.compile("(\\./)?(boot/config-[^/]+|(usr/)?lib/modules/[^/]+/config)");

    private GuestKernelConfig() {}

    /** {@code CONFIG_X=value} lines of a kernel config; {@code # CONFIG_X is not set} is absent. */
    static Map<String, String> parse(String config) {
        Map<String, String> out = new HashMap<>();
        for (String line : config.lines().toList()) {
            int eq = line.indexOf('=');
            if (line.startsWith("CONFIG_") && eq > 0) out.put(line.substring(0, eq), line.substring(eq + 1).strip());
        }
        return out;
    }

    /** {@link #missing(Arch, String)} for an x86-64 kernel. */
    static List<String> missing(String config) {
        return missing(Arch.X86_64, config);
    }

    /**
     * The options a guest of {@code arch} requires that are not built in, as {@code CONFIG_X=m (what needs it)} or
     * {@code CONFIG_X is not set (...)}.
     */
    static List<String> missing(Arch arch, String config) {
        Map<String, String> options = parse(config);
        List<String> out = new ArrayList<>();
        required(arch).forEach((option, why) -> {
            String v = options.get(option);
            if (!"y".equals(v)) out.add(option + (v == null ? " is not set" : "=" + v) + " (" + why + ")");
        });
        return out;
    }

    private static Map<String, String> with(Map<String, String> first, Map<String, String> then) {
        Map<String, String> m = new java.util.LinkedHashMap<>(first);
        m.putAll(then);
        return java.util.Collections.unmodifiableMap(m);
    }

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return java.util.Collections.unmodifiableMap(m);
    }
}
