/**
 * The machine ringvm runs on: the cache directory, file locks for cache entries shared by threads and processes,
 * running one external command from an argv list with a deadline, and finding programs on PATH. The bottom layer
 * with config: depends on no other ringvm package.
 */
package dev.ringvm.host;
