package dev.ringvm.verdict;

/** A verdict with the one-line reason a person can act on. */
record Ruling(Verdict verdict, String reason) {}
