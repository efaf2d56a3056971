package dev.ringvm.guest;

import dev.ringvm.host.AtomicFiles;
import dev.ringvm.host.Sha256;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.LocalDateTime;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** Finds the ring-init probe jar: the code source of {@code dev.ringvm.probe.Main}, jarred if a directory. */
public final class ProbeJar {
    public static final String MAIN_CLASS = "dev.ringvm.probe.Main";
    /** Fixed DOS entry time (no time zone involved), so equal classes give equal jar bytes and hash. */
    static final LocalDateTime FIXED_TIME = LocalDateTime.of(2000, 1, 1, 0, 0);

    private ProbeJar() {}

    /**
     * The probe jar: as is when the probe comes from a jar; when it comes from a class directory
     * ({@code probes/target/classes} in the reactor) a reproducible jar built into
     * {@code <cacheRoot>/probe/<hash>/ring-init-probe.jar}.
     */
    public static Path locate(Path cacheRoot) throws IOException {
        Class<?> main;
        try {
            main = Class.forName(MAIN_CLASS, false, ProbeJar.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IOException("probe class " + MAIN_CLASS + " is not on the class path", e);
        }
        CodeSource cs = main.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            throw new IOException("no code source for " + MAIN_CLASS);
        }
        Path source;
        try {
            source = Path.of(cs.getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("bad code source " + cs.getLocation(), e);
        }
        return Files.isDirectory(source) ? jarDirectory(source, cacheRoot) : source;
    }

    /** Jars {@code classes} reproducibly (sorted entries, fixed times) into the cache; reuses an equal jar. */
    static Path jarDirectory(Path classes, Path cacheRoot) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(classes)) {
            files = s.filter(Files::isRegularFile)
                    .filter(p -> !classes.relativize(p).toString().equals("META-INF/MANIFEST.MF"))
                    .sorted((a, b) -> entryName(classes, a).compareTo(entryName(classes, b)))
                    .toList();
        }
        Sha256.Fields h = Sha256.fields().field("format", "1");
        for (Path f : files) {
            h.field("name", entryName(classes, f)).file("content", f);
        }
        Path dir = cacheRoot.resolve("probe").resolve(h.hex());
        Path jar = dir.resolve("ring-init-probe.jar");
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, MAIN_CLASS);
        mf.getMainAttributes().put(new Attributes.Name("Enable-Native-Access"), "ALL-UNNAMED");
        AtomicFiles.write(jar, os -> {
            try (JarOutputStream jos = new JarOutputStream(os)) {
                JarEntry me = new JarEntry("META-INF/MANIFEST.MF");
                me.setTimeLocal(FIXED_TIME);
                jos.putNextEntry(me);
                mf.write(jos);
                jos.closeEntry();
                for (Path f : files) {
                    JarEntry e = new JarEntry(entryName(classes, f));
                    e.setTimeLocal(FIXED_TIME);
                    jos.putNextEntry(e);
                    Files.copy(f, jos);
                    jos.closeEntry();
                }
            }
        });
        return jar;
    }

    private static String entryName(Path root, Path f) {
        return root.relativize(f).toString().replace('\\', '/');
    }
}
