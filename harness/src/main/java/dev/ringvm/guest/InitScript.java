package dev.ringvm.guest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The guest's /init: {@code vm-images/init}, packaged into the harness jar as a resource by the harness POM,
 * so the harness builds images without the source tree and there is exactly one copy of the script.
 */
final class InitScript {
    static final String RESOURCE = "/vm-images/init";

    /** The script text; busybox sh, kernel command line keys {@code ringvm.nonce/grid/only/javaopts}. */
    public static final String TEXT = load();

    private InitScript() {}

    public static byte[] bytes() {
        return TEXT.getBytes(StandardCharsets.UTF_8);
    }

    private static String load() {
        try (InputStream in = InitScript.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " missing from the harness jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
