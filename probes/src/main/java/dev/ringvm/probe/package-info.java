/**
 * The ring-init probe that runs inside the guest (and on the host for {@code host: true}): the case grid, the case
 * runner (allocate the caller's memory, set up a NO_MMAP ring, put traffic through it, check the guard bytes) and
 * the records it writes (docs/probe-records.md). Runs on a jlinked {@code java.base} runtime: depends on nothing
 * outside {@code java.base}, and every native call goes through probe.ffm.
 */
package dev.ringvm.probe;
