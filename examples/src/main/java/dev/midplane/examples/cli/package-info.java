/**
 * The {@code midplane} command line (picocli): {@code demo}, {@code inventory}, {@code parse},
 * {@code vif lock|unlock|status}, {@code multipath-conf}, {@code preflight}, {@code migrate} and
 * {@code classpath}. {@link dev.midplane.examples.cli.Midplane} is the entry point; the commands
 * are thin: they turn options into the SDK's validated names, call the SDK, and print its values
 * as text or JSON. Exit codes: 0 done, 1 the operation failed or was refused, 2 bad usage or bad
 * input (nothing was changed). What the commands act on comes from an
 * {@link dev.midplane.examples.cli.Environment}, so tests run them against a network namespace or
 * a directory.
 */
package dev.midplane.examples.cli;
