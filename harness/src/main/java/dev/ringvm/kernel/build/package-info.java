/**
 * Kernel builds for {@code build:} sources: a Debian {@code linux-source} package or a local tree, patched,
 * configured from a base config plus verified fragments, {@code make bzImage}, cached under a key over every input.
 * Implements kernel's builder interface and fetches sources through kernel's apt repository. May depend on kernel,
 * model, config and host.
 */
package dev.ringvm.kernel.build;
