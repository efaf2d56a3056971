/**
 * kernels.yaml: the validated matrix (kernels with their typed sources and expectation overrides, guest memory
 * sizes) and the one-line configuration errors (exit 2) that name the file and field. The bottom layer with host:
 * depends on no other ringvm package.
 */
package dev.ringvm.config;
