/**
 * The {@code ringvm} command line (picocli): one class per subcommand ({@code run}, {@code kernels}, {@code
 * report}, {@code diff}, {@code merge}, {@code bench}), the option mixins they share, and the mapping from what
 * escapes a command to the exit codes of DESIGN.md. The top layer: it wires the packages below together (bench,
 * report, verdict, run, vm, guest, kernel, kernel.build, container, progress, model, config, host) and nothing
 * depends on it.
 */
package dev.ringvm.cli;
