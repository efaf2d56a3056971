/**
 * Progress of a run: the events producers emit from any thread, the model a live view draws, and the views that are
 * the only writers of stderr during a run (plain lines for CI logs, a live region on a terminal). Knows nothing
 * about VMs or kernels beyond the events. May depend on model, config and host only.
 */
package dev.ringvm.progress;
