/**
 * Streaming command output: {@link dev.midplane.xen.exec.StreamingRunner} hands a command's
 * output to an {@link dev.midplane.xen.exec.OutputListener} line by line while it runs
 * ({@link dev.midplane.xen.exec.LocalStreamingRunner} for local processes), or replays it after
 * the fact for runners that cannot stream. Used for the progress of {@code xl migrate}; a
 * candidate to move into core's exec package.
 */
@MidplaneStyle
package dev.midplane.xen.exec;

import dev.midplane.core.MidplaneStyle;
