package dev.ringvm.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a packaged kernel must have built in to boot ringvm's guest, which loads no modules: the 8250 serial ports
 * (console on ttyS0, probe results on ttyS1), the initramfs, and what /init mounts and runs. The guest has no disk
 * and no network, so no virtio driver is needed. Checked against the kernel's own config file where its package
 * (or, for Ubuntu's split packaging, its linux-modules-* package) ships one. Pure; unit-tested.
 */
final class GuestKernelConfig {
    /** Options that must be {@code =y}, each with what needs it. */
    static final Map<String, String> REQUIRED = orderedMap(
            "CONFIG_SERIAL_8250", "the serial ports",
            "CONFIG_SERIAL_8250_CONSOLE", "the console on ttyS0",
            "CONFIG_BLK_DEV_INITRD", "the initramfs",
            "CONFIG_DEVTMPFS", "/dev",
            "CONFIG_PROC_FS", "/proc",
            "CONFIG_SYSFS", "/sys",
            "CONFIG_TMPFS", "/tmp",
            "CONFIG_BINFMT_ELF", "busybox and java",
            "CONFIG_FUTEX", "the JVM",
            "CONFIG_EPOLL", "the JVM");

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

    /** The required options that are not built in, as {@code CONFIG_X=m (what needs it)} or {@code CONFIG_X is not set (...)}. */
    static List<String> missing(String config) {
        Map<String, String> options = parse(config);
        List<String> out = new ArrayList<>();
        REQUIRED.forEach((option, why) -> {
            String v = options.get(option);
            if (!"y".equals(v)) out.add(option + (v == null ? " is not set" : "=" + v) + " (" + why + ")");
        });
        return out;
    }

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return java.util.Collections.unmodifiableMap(m);
    }
}
