/**
 * The container runner's machinery: the docker daemon reached through Testcontainers, the QEMU image built with
 * debootstrap from a recipe and imported locally (no registry), and the plan that maps the default runner's QEMU
 * argv into a container. The runner itself lives in run. May depend on vm (the QEMU argv), kernel (the host's
 * Debian mirror), model, config and host.
 */
package dev.ringvm.container;
