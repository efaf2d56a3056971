/**
 * Kernel sources: the resolver that turns a kernels.yaml entry into a bootable, hashed image in the cache (a path,
 * apt through a private apt configuration, a deb URL, Ubuntu's mainline archive), kernels.lock, .deb reading,
 * Debian version order and HTTP downloads. Builds from source are delegated through {@link
 * dev.ringvm.kernel.KernelImageBuilder} to kernel.build, which depends on this package, not the other way round.
 * May depend on model, config and host.
 */
package dev.ringvm.kernel;
