package dev.ringvm.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static dev.ringvm.run.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Following a results file while the probe writes it: the header's case count and the case number so far. */
class ResultsFollowerTest {

    @TempDir
    Path dir;

    private final Instant since = Instant.now().minusSeconds(1);

    private void append(Path f, String s) throws Exception {
        Files.writeString(f, s, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void countsBegunCasesAndWaitsForAPartialLastLine() throws Exception {
        Path f = dir.resolve("results.log");
        ResultsFollower follower = new ResultsFollower(f, NONCE, since);
        assertThat(follower.poll()).as("no file yet").isFalse();
        assertThat(follower.started()).isFalse();

        String begin1 = begin(1, "memalign/sq128");
        append(f, header("6.12.1") + "\n" + begin(0, "memalign/sq1") + "\n"
                + result(0, "memalign", 1, 1, 1, "ok", 0) + "\n" + begin1.substring(0, 20));
        assertThat(follower.poll()).isTrue();
        assertThat(follower.started()).isTrue();
        assertThat(follower.cases()).isEqualTo(3);
        assertThat(follower.begun()).as("the half-written begin does not count yet").isEqualTo(1);

        append(f, begin1.substring(20));
        assertThat(follower.poll()).as("still no newline").isFalse();
        assertThat(follower.begun()).isEqualTo(1);

        append(f, "\n");
        assertThat(follower.poll()).isTrue();
        assertThat(follower.begun()).isEqualTo(2);
    }

    @Test
    void linesWithoutTheNonceOrNotJsonAreIgnored() throws Exception {
        Path f = dir.resolve("results.log");
        ResultsFollower follower = new ResultsFollower(f, NONCE, since);
        append(f, header("6.12.1").replace(NONCE, "stale") + "\n"
                + "[    1.23] random kernel noise\n"
                + "\u0000\u0000" + header("6.12.1") + "\n" // serial garbage before the object is tolerated
                + begin(0, "anon/sq1").replace(NONCE, "stale") + "\n"
                + "{\"type\":\"begin\",\"nonce\":\"" + NONCE + "\",\"ca\n"); // torn by a crash
        follower.poll();
        assertThat(follower.started()).isTrue();
        assertThat(follower.begun()).isZero();
    }

    @Test
    void aHeaderWithoutCaseCountLeavesItUnknown() throws Exception {
        Path f = dir.resolve("results.log");
        ResultsFollower follower = new ResultsFollower(f, NONCE, since);
        append(f, header("6.12.1").replace(",\"cases\":3", "") + "\n" + begin(0, "anon/sq1") + "\n");
        follower.poll();
        assertThat(follower.cases()).isEqualTo(-1);
        assertThat(follower.begun()).isEqualTo(1);
    }

    @Test
    void aLeftoverFromAnEarlierRunIsNotReadAndAReplacedFileIsReadFromItsStart() throws Exception {
        Path f = dir.resolve("results.log");
        append(f, "old line one that is rather long\nold line two that is rather long\n");
        Files.setLastModifiedTime(f, FileTime.from(since.minusSeconds(60)));
        FileTail tail = new FileTail(f, since);
        assertThat(tail.newLines()).as("older than the watch").isEmpty();

        Files.writeString(f, "new\n"); // truncated and rewritten (QEMU opens its chardev file with O_TRUNC)
        assertThat(tail.newLines()).containsExactly("new");
        append(f, "more\n");
        assertThat(tail.newLines()).containsExactly("more");

        Files.delete(f);
        Files.writeString(f, "other\n"); // shorter than what was read: a new file whatever its inode
        assertThat(tail.newLines()).containsExactly("other");
    }

    @Test
    void aCharacterSplitAcrossTwoWritesIsDecodedWhole() throws Exception {
        Path f = dir.resolve("console.log");
        FileTail tail = new FileTail(f, since);
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        Files.write(f, new byte[] {'a', euro[0]});
        assertThat(tail.newLines()).isEmpty();
        Files.write(f, new byte[] {euro[1], euro[2], '\n'}, StandardOpenOption.APPEND);
        assertThat(tail.newLines()).containsExactly("a€");
    }
}
