/**
 * Timed boots for {@code ringvm bench} (docs/PERFORMANCE.md): the busybox floor against the real guest running the
 * grid, and the statistics over repeated samples. Used by cli only. May depend on verdict, run and the layers below
 * them (today it uses vm, guest and model); not on cli or its sibling report.
 */
package dev.ringvm.bench;
