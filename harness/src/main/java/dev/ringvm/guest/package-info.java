/**
 * The guest image: a newc initramfs of busybox, a jlinked {@code java.base} runtime with its host libraries, the
 * AOT cache trained on the host, the probe jar and /init, cached by a hash of every input. Finds the probe jar
 * through the probe's main class name, without compiling against the probe. May depend on model, config and host;
 * not on its siblings vm, kernel, container or progress, nor on any layer above.
 */
package dev.ringvm.guest;
