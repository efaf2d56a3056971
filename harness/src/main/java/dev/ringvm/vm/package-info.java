/**
 * One QEMU virtual machine: its spec, the argv built from small pure functions (accel, machine, kernel, serial
 * ports), the kernel command line, the accelerator choice (KVM only after a test boot proves it), the running
 * process with its deadline, and the reaper that leaves no QEMU behind. May depend on guest (the accel test boot's
 * busybox image), model, config and host; not on its siblings kernel, container and progress, nor on any layer
 * above.
 */
package dev.ringvm.vm;
