/**
 * The probe's only {@code java.lang.foreign} code: hand-written bindings in jextract's shape for libc (one shared
 * {@code syscall} handle, errno captured by the linker) and for the io_uring UAPI structs and constants, each
 * checked against gcc and the real header by the layout oracle. Depends on {@code java.base} only, not on the probe
 * package above it; no foreign type leaks out of it.
 */
package dev.ringvm.probe.ffm;
