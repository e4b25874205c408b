/**
 * {@code multipath.conf} as code.
 *
 * <p>{@link dev.midplane.multipath.config.MultipathConfig} is an immutable tree of
 * {@link dev.midplane.multipath.config.Section}s, {@link dev.midplane.multipath.config.Attribute}s
 * and {@link dev.midplane.multipath.config.Comment}s in file order, with typed views for the parts
 * midplane reasons about ({@link dev.midplane.multipath.config.MultipathConfig#blacklist()},
 * {@link dev.midplane.multipath.config.MultipathConfig#multipaths()}, …). The tree keeps what the
 * typed views do not know — unknown sections and keywords, comments — so a file written back
 * loses nothing but blank lines and spacing.
 *
 * <p>The parser follows multipath-tools' own tokenizer ({@code libmultipath/parser.c}): one
 * statement per line, {@code #} and {@code !} start a comment anywhere outside a quoted string,
 * {@code "…"} quotes a value with {@code ""} standing for one quote, {@code {} and {@code }} are
 * tokens of their own. Where multipath-tools would silently drop data (extra words after a value,
 * an unterminated quote, a {@code {} on the wrong line, an unmatched {@code }}) the parser refuses
 * with the line number instead. What multipath-tools merely warns about — unknown or misplaced
 * keywords, deprecated options, duplicate keywords, invalid values of the checked keywords — is kept
 * in the model and reported as a {@link dev.midplane.multipath.config.ConfigWarning}; the catalogue
 * is that of multipath-tools 0.9.4 (multipath.conf(5)) and is cross-checked against the real
 * {@code multipath -t} in the tests.
 *
 * <p>{@link dev.midplane.multipath.config.MultipathConfig#admission} answers the question every
 * module asks of a host's file — would multipath-tools let this WWID through and name its map with
 * this alias — as an {@link dev.midplane.multipath.config.Admission} that lists every reason it
 * would not; the multipath lifecycle verifies what it writes with it and the Xen chassis holds each
 * host's file against the LUN inventory with it, so the two cannot disagree.
 *
 * <p>The writer produces the layout of {@code multipath -t}: one tab per level, values quoted
 * unless they are integers (or kept unquoted when they were read that way and need no quotes).
 * {@code parse(write(c))} equals {@code c} for every model.
 */
@MidplaneStyle
package dev.midplane.multipath.config;

import dev.midplane.core.MidplaneStyle;
