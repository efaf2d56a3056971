/**
 * Everything a run writes for people and tools: the terminal matrix, report.json, junit.xml, report.md, report.html
 * and the run directory that holds them (written atomically, read back by {@code ringvm report}, {@code diff} and
 * {@code merge}). Renders judgements, never judges. May depend on verdict and the layers below it (run, model,
 * config, host, ...); not on cli or its sibling bench.
 */
package dev.ringvm.report;
