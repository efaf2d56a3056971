package dev.ringvm.run;

import dev.ringvm.model.GuestRun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A VM's results channel (results.log) as the typed records of its run. */
public final class ResultsLog {
    private ResultsLog() {}

    /** The records of run {@code nonce} in {@code file}; none when the file does not exist. */
    public static GuestRun read(Path file, String nonce) {
        if (!Files.exists(file)) return GuestRun.parse(List.of(), nonce);
        try {
            // serial output may contain NULs or invalid UTF-8 after a crash: decode leniently
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            return GuestRun.parse(text.lines().toList(), nonce);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
