/**
 * Verdicts (docs/verdicts.md): the expectation model of the upstream timeline, upstream kernel versions, the
 * console scanner that finds panics, oopses and warnings, and the judge that turns run data into PASS, KNOWN_BUG,
 * REGRESSION, FIXED, UNSUPPORTED, FLAKY or INFRA with a one-line reason. Pure apart from reading the console logs
 * it is given and its expectations.yaml resource. May depend on run and the layers below it (today model and
 * config); not on report, bench or cli.
 */
package dev.ringvm.verdict;
