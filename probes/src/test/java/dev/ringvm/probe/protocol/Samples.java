package dev.ringvm.probe.protocol;

/** One record of each type with every field set (no nulls), so a field the writer or reader drops shows. */
final class Samples {
    private Samples() {}

    static final CaseSpec SPEC = new CaseSpec(58, Layout.LIBURING, Backing.HUGETLB, 1024, 65536, true,
            java.util.Set.of(SetupOption.NO_SQARRAY, SetupOption.CQE32), Edge.READ_ONLY);

    static Header header() {
        return new Header("n1", "0.1.0", "6.5.0", "x86_64", 4096, 2048L, 16L, 16L, "madvise", 2048L, -1L, -1L, 0L, true, 0L, 512L,
                "default", 75, 2480L, 2950L);
    }

    static Begin begin() {
        return new Begin("n1", SPEC);
    }

    static Result result() {
        return new Result("n1", SPEC, 1 << 14 | 1 << 3, 1024, 65536, 1024, 65536, 64, 1048640, 65536L, 16, 1052736L,
                258, 1118208L, ResultCode.SETUP_FAILED, Errno.EFAULT, false, "none", 2048, 7, 0, true, 2048, 2048, true, true, 3, 4, true,
                "ok", "mmap: ENOMEM", 1234L);
    }

    static End end() {
        return new End("n1", 75, 0L, 1234L, 9876L);
    }
}
