/**
 * Running external commands: {@link dev.midplane.core.exec.Command} (argv, never a shell string),
 * {@link dev.midplane.core.exec.CommandResult}, the {@link dev.midplane.core.exec.CommandRunner} SPI
 * and its implementations — local processes, the {@link dev.midplane.core.exec.SimulatedRunner}
 * that stands in for a machine's tools, and the {@link dev.midplane.core.exec.RecordingRunner} test
 * double with named {@link dev.midplane.core.exec.Fault}s — plus decorators in
 * {@link dev.midplane.core.exec.Runners} (logging, default timeout, audit trail, dry run).
 */
@MidplaneStyle
package dev.midplane.core.exec;

import dev.midplane.core.MidplaneStyle;
