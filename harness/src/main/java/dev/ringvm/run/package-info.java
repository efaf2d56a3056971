/**
 * The runners, one package for every way of booting a job (QEMU on the host, QEMU in a container, virtme-ng, the
 * probe on the host kernel), the matrix scheduler that runs them {@code --jobs} at a time within the memory budget,
 * sharding, and the followers that turn a running VM's console and results files into progress events. May depend
 * on vm, guest, kernel, kernel.build, container, progress, model, config and host (and the probe's protocol
 * package); not on verdict, report, bench or cli.
 */
package dev.ringvm.run;
