package dev.ringvm.probe.ffm;

import java.lang.foreign.StructLayout;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Constants of linux/io_uring.h in jextract's shape. Every value here must match the
 * kernel UAPI header; {@link #layoutFacts()} and {@link #constantFacts()} exist so that a test can compare them
 * with what a C compiler computes from the real header.
 */
public final class IoUringH {
    private IoUringH() {}

    // syscall numbers: the same on x86-64 (asm/unistd_64.h) and aarch64 (asm-generic/unistd.h); calls go through Abi
    public static final long __NR_io_uring_setup = 425;
    public static final long __NR_io_uring_enter = 426;
    public static final long __NR_io_uring_register = 427;

    // io_uring_params.flags
    public static final int IORING_SETUP_IOPOLL = 1 << 0;
    public static final int IORING_SETUP_SQPOLL = 1 << 1;
    public static final int IORING_SETUP_SQ_AFF = 1 << 2;
    public static final int IORING_SETUP_CQSIZE = 1 << 3;
    public static final int IORING_SETUP_CLAMP = 1 << 4;
    public static final int IORING_SETUP_R_DISABLED = 1 << 6;
    public static final int IORING_SETUP_SINGLE_ISSUER = 1 << 12; // 6.0+
    public static final int IORING_SETUP_DEFER_TASKRUN = 1 << 13; // 6.1+
    public static final int IORING_SETUP_SQE128 = 1 << 10;
    public static final int IORING_SETUP_CQE32 = 1 << 11;
    public static final int IORING_SETUP_NO_MMAP = 1 << 14;   // 6.5+
    public static final int IORING_SETUP_NO_SQARRAY = 1 << 16; // 6.6+
    public static final int IORING_SETUP_REGISTERED_FD_ONLY = 1 << 15; // 6.5+, with NO_MMAP

    // io_uring_params.features
    public static final int IORING_FEAT_SINGLE_MMAP = 1 << 0;
    public static final int IORING_FEAT_NODROP = 1 << 1;
    public static final int IORING_FEAT_NATIVE_WORKERS = 1 << 9;

    // opcodes, enter flags, mmap offsets
    public static final int IORING_OP_NOP = 0;
    public static final int IORING_OP_TIMEOUT = 11;
    public static final int IORING_OP_READ = 22;
    public static final int IOSQE_BUFFER_SELECT = 1 << 5;
    public static final int IORING_CQE_F_BUFFER = 1;
    public static final int IORING_CQE_BUFFER_SHIFT = 16;
    public static final int IORING_ENTER_EXT_ARG = 1 << 3;
    public static final int IORING_ENTER_EXT_ARG_REG = 1 << 6; // 6.13+
    public static final int IORING_REGISTER_ENABLE_RINGS = 12;
    public static final int IORING_REGISTER_PBUF_RING = 22;    // 5.19+
    public static final int IORING_UNREGISTER_PBUF_RING = 23;
    public static final int IORING_REGISTER_RESIZE_RINGS = 33; // 6.13+
    public static final int IORING_REGISTER_MEM_REGION = 34;   // 6.13+
    public static final int IORING_MEM_REGION_TYPE_USER = 1;
    public static final int IORING_MEM_REGION_REG_WAIT_ARG = 1;
    public static final int IORING_REG_WAIT_TS = 1;
    /** sizeof(struct io_uring_reg_wait). */
    public static final int REG_WAIT_SIZE = 64;
    public static final int IORING_ENTER_GETEVENTS = 1 << 0;
    public static final int IORING_ENTER_REGISTERED_RING = 1 << 4;
    /** io_uring_register opcode: unregister ring fds (struct io_uring_rsrc_update array). */
    public static final int IORING_UNREGISTER_RING_FDS = 21;
    /** Or'ed into the register opcode: the fd argument is a registered ring index (6.3+). */
    public static final int IORING_REGISTER_USE_REGISTERED_RING = 1 << 31;
    public static final long IORING_OFF_SQ_RING = 0L;
    public static final long IORING_OFF_CQ_RING = 0x8000000L;
    public static final long IORING_OFF_SQES = 0x10000000L;

    /**
     * Size and field offsets of every struct the probe uses, keyed by the C expression that computes the same
     * value ({@code sizeof(struct io_uring_params)}, {@code offsetof(struct io_uring_params, sq_off.user_addr)}),
     * so an oracle can paste each key into {@code printf("%s=%zu\n", "KEY", KEY)}. Insertion ordered.
     */
    public static Map<String, Long> layoutFacts() {
        Map<String, Long> m = new LinkedHashMap<>();
        add(m, "io_uring_params", io_uring_params.layout(), io_uring_params.FIELDS);
        for (String f : io_sqring_offsets.FIELDS) {
            m.put("offsetof(struct io_uring_params, sq_off." + f + ")", io_uring_params.offsetOf("sq_off." + f));
        }
        for (String f : io_cqring_offsets.FIELDS) {
            m.put("offsetof(struct io_uring_params, cq_off." + f + ")", io_uring_params.offsetOf("cq_off." + f));
        }
        add(m, "io_sqring_offsets", io_sqring_offsets.layout(), io_sqring_offsets.FIELDS);
        add(m, "io_cqring_offsets", io_cqring_offsets.layout(), io_cqring_offsets.FIELDS);
        add(m, "io_uring_sqe", io_uring_sqe.layout(), io_uring_sqe.FIELDS);
        add(m, "io_uring_cqe", io_uring_cqe.layout(), io_uring_cqe.FIELDS);
        return Collections.unmodifiableMap(m);
    }

    private static void add(Map<String, Long> m, String struct, StructLayout layout, String[] fields) {
        m.put("sizeof(struct " + struct + ")", layout.byteSize());
        for (String f : fields) {
            m.put("offsetof(struct " + struct + ", " + f + ")", Layouts.offset(layout, f));
        }
    }

    /**
     * The constants, keyed by their C macro name. io_uring.h defines all but the {@code __NR_} ones (those come
     * from {@code <sys/syscall.h>}); NO_MMAP needs a 6.5+ header and NO_SQARRAY a 6.6+ one, so an oracle should
     * wrap each key in {@code #ifdef}.
     */
    public static Map<String, Long> constantFacts() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("__NR_io_uring_setup", __NR_io_uring_setup);
        m.put("__NR_io_uring_enter", __NR_io_uring_enter);
        m.put("__NR_io_uring_register", __NR_io_uring_register);
        m.put("IORING_SETUP_IOPOLL", (long) IORING_SETUP_IOPOLL);
        m.put("IORING_SETUP_SQPOLL", (long) IORING_SETUP_SQPOLL);
        m.put("IORING_SETUP_SQ_AFF", (long) IORING_SETUP_SQ_AFF);
        m.put("IORING_SETUP_CQSIZE", (long) IORING_SETUP_CQSIZE);
        m.put("IORING_SETUP_CLAMP", (long) IORING_SETUP_CLAMP);
        m.put("IORING_SETUP_SQE128", (long) IORING_SETUP_SQE128);
        m.put("IORING_SETUP_CQE32", (long) IORING_SETUP_CQE32);
        m.put("IORING_SETUP_NO_MMAP", (long) IORING_SETUP_NO_MMAP);
        m.put("IORING_SETUP_NO_SQARRAY", (long) IORING_SETUP_NO_SQARRAY);
        m.put("IORING_SETUP_REGISTERED_FD_ONLY", (long) IORING_SETUP_REGISTERED_FD_ONLY);
        m.put("IORING_FEAT_SINGLE_MMAP", (long) IORING_FEAT_SINGLE_MMAP);
        m.put("IORING_FEAT_NODROP", (long) IORING_FEAT_NODROP);
        m.put("IORING_FEAT_NATIVE_WORKERS", (long) IORING_FEAT_NATIVE_WORKERS);
        m.put("IORING_OP_NOP", (long) IORING_OP_NOP);
        m.put("IORING_ENTER_GETEVENTS", (long) IORING_ENTER_GETEVENTS);
        m.put("IORING_ENTER_REGISTERED_RING", (long) IORING_ENTER_REGISTERED_RING);
        m.put("IORING_OFF_SQ_RING", IORING_OFF_SQ_RING);
        m.put("IORING_OFF_CQ_RING", IORING_OFF_CQ_RING);
        m.put("IORING_OFF_SQES", IORING_OFF_SQES);
        return Collections.unmodifiableMap(m);
    }
}
