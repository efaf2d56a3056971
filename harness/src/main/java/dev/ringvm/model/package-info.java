/**
 * The run data every layer above passes around: jobs (kernel x memory x repeat), resolved kernels, VM results, the
 * parsed probe records of a VM (GuestRun, CaseResult), case classes, shards and run summaries. Data, plus reading a
 * VM's results file into records; no other I/O. May depend on config and host (and the probe's protocol package,
 * whose records it carries); nothing above.
 */
package dev.ringvm.model;
