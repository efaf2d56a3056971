/**
 * The guest image: a newc initramfs of busybox, a jlinked {@code java.base} runtime with its host libraries, the
 * AOT cache trained on the host, the probe jar and /init, cached by a hash of every input. Finds the probe jar
 * through the probe's main class name, without compiling against the probe. An image for another architecture (arm64
 * on x86-64) is made of that architecture's Debian packages instead of the host's files, and has no AOT cache. May
 * depend on model, config and host, and on its sibling kernel (apt and .deb reading for those packages); not on vm,
 * container or progress, nor on any layer above.
 */
package dev.ringvm.guest;
