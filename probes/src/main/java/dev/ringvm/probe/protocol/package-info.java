/**
 * The guest protocol: what the probe writes on its results channel and the harness reads back. The records
 * ({@link dev.ringvm.probe.protocol.Header}, {@link dev.ringvm.probe.protocol.Begin},
 * {@link dev.ringvm.probe.protocol.Result}, {@link dev.ringvm.probe.protocol.End}), the vocabulary they use
 * ({@link dev.ringvm.probe.protocol.Backing}, {@link dev.ringvm.probe.protocol.Layout},
 * {@link dev.ringvm.probe.protocol.SetupOption}, {@link dev.ringvm.probe.protocol.CaseClass},
 * {@link dev.ringvm.probe.protocol.ResultCode}), the one {@link dev.ringvm.probe.protocol.RecordWriter} and the one
 * {@link dev.ringvm.probe.protocol.RecordReader}. docs/probe-records.md is the reference and a test keeps it and
 * the writer in step. It depends on nothing but java.base, so the probe runs on a jlinked runtime, and it is the
 * only probe package the harness may use.
 */
package dev.ringvm.probe.protocol;
