/**
 * The narrow SPI between midplane's multipath operations and the tools that carry them out, in
 * the spirit of docker-java's transports: {@link dev.midplane.multipath.backend.MultipathTools}
 * over the {@code multipath} and {@code multipathd} commands, and
 * {@link dev.midplane.multipath.backend.DeviceMapper} over {@code dmsetup}. Each method is one
 * command with an exact argv (documented on the method), run through the
 * {@link dev.midplane.core.Host}'s runner — local, simulated or remote alike — and its output
 * parsed by the pure parsers of {@link dev.midplane.multipath.topology} and
 * {@link dev.midplane.multipath.dm}.
 *
 * <p>These are single commands, not operations: they do not check whether a change is safe,
 * retry, or verify. The lifecycle (create, grow, remove as plans with verification and rollback)
 * is built on them and decides which command fits which multipath-tools version
 * ({@link dev.midplane.multipath.backend.ToolsVersion}).
 *
 * <p>Failures carry evidence: a command that exits non-zero throws
 * {@link dev.midplane.core.CommandFailedException} with argv, exit code and stderr (and
 * multipathd's {@code fail} reply, which it prints on stdout); a map that does not exist is a
 * {@link dev.midplane.core.NotFoundException} or an empty {@link java.util.Optional}, as each
 * method documents; output that does not parse is a
 * {@link dev.midplane.multipath.MultipathParseException}.
 */
@MidplaneStyle
package dev.midplane.multipath.backend;

import dev.midplane.core.MidplaneStyle;
