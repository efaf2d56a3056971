/**
 * {@code ringvm repro RUN_DIR CELL}: a directory a kernel engineer attaches to a bug report, for one case of a run:
 * a standalone C reproducer generated from the case's typed {@code CaseSpec} (raw system calls, no liburing), its
 * static build command, a one-case initramfs recipe and the QEMU command line, and a README with the kernel, the
 * expected and observed results, the timeline row that decided the expectation and the pages each region spans.
 * May depend on report, verdict and the layers below them; not on cli or its sibling bisect.
 */
package dev.ringvm.repro;
