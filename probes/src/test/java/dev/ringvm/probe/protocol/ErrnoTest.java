package dev.ringvm.probe.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrnoTest {
    @Test
    void namesKnownNumbers() {
        assertThat(Errno.name(0)).isEqualTo("ok");
        assertThat(Errno.name(1)).isEqualTo("EPERM");
        assertThat(Errno.name(12)).isEqualTo("ENOMEM");
        assertThat(Errno.name(14)).isEqualTo("EFAULT");
        assertThat(Errno.name(22)).isEqualTo("EINVAL");
        assertThat(Errno.name(38)).isEqualTo("ENOSYS");
        assertThat(Errno.name(75)).isEqualTo("EOVERFLOW");
        assertThat(Errno.name(95)).isEqualTo("EOPNOTSUPP");
        assertThat(Errno.name(34)).isEqualTo("ERANGE");
    }

    @Test
    void unknownNumbersKeepTheirValue() {
        assertThat(Errno.name(133)).isEqualTo("E133");
    }
}
