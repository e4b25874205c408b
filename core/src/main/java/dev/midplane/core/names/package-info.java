/**
 * Validated names: every value that reaches argv or a path goes through one of these types first.
 *
 * <p>Each type has {@code of(String)}, which either returns a canonical value or throws
 * {@link dev.midplane.core.InvalidNameException} naming the value and the rule it broke, and
 * {@code isValid(String)}. The rules are deliberately stricter than the kernel's where the kernel
 * allows characters that would be dangerous on a command line or in a config file (a leading
 * {@code -}, quotes, shell metacharacters, non-ASCII). {@code toString()} is the canonical form that
 * goes on the command line.
 */
package dev.midplane.core.names;
