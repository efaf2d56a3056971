package dev.ringvm.guest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A stand-in for the ring-init probe jar: same CLI (--out, --nonce, --grid), writes a header and an end
 * record carrying the nonce, so the whole guest path can be tested before the real probe exists.
 */
public final class StandInProbe {
    static final String SOURCE = """
            package standin;

            import java.io.FileOutputStream;
            import java.nio.charset.StandardCharsets;
            import java.nio.file.Files;
            import java.nio.file.Path;

            public class Main {
                public static void main(String[] args) throws Exception {
                    String out = "-", nonce = "", grid = "default";
                    for (int i = 0; i + 1 < args.length; i++) {
                        switch (args[i]) {
                            case "--out" -> out = args[++i];
                            case "--nonce" -> nonce = args[++i];
                            case "--grid" -> grid = args[++i];
                            default -> { }
                        }
                    }
                    String release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
                    try (FileOutputStream os = new FileOutputStream(out)) {
                        os.write(("{\\"type\\":\\"header\\",\\"nonce\\":\\"" + nonce + "\\",\\"grid\\":\\"" + grid
                                + "\\",\\"release\\":\\"" + release + "\\",\\"cases\\":0}\\n").getBytes(StandardCharsets.UTF_8));
                        os.flush();
                        os.write(("{\\"type\\":\\"end\\",\\"nonce\\":\\"" + nonce + "\\",\\"count\\":0}\\n")
                                .getBytes(StandardCharsets.UTF_8));
                        os.flush();
                    }
                }
            }
            """;

    private StandInProbe() {}

    /** Compiles the stand-in and jars it as {@code dir/ring-init-probe.jar}. */
    public static Path build(Path dir) throws IOException {
        Path src = dir.resolve("src/standin/Main.java");
        Path classes = dir.resolve("classes");
        Files.createDirectories(src.getParent());
        Files.createDirectories(classes);
        Files.writeString(src, SOURCE);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "--release", "25", "-d", classes.toString(), src.toString());
        if (rc != 0) {
            throw new IOException("javac failed for the stand-in probe: " + rc);
        }
        Path jar = dir.resolve("ring-init-probe.jar");
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "standin.Main");
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(os, mf)) {
            for (String name : List.of("standin/Main.class")) {
                jos.putNextEntry(new JarEntry(name));
                Files.copy(classes.resolve(name), jos);
                jos.closeEntry();
            }
        }
        return jar;
    }
}
