/**
 * The foundation every midplane module stands on: {@link dev.midplane.core.Host} (a machine: a
 * command runner plus a root path), the unchecked exception root
 * {@link dev.midplane.core.MidplaneException} and its evidence-carrying subtypes, and the project's
 * Immutables style. Commands live in {@code exec}, validated names in {@code names}, multi-step
 * changes in {@code plan}, atomic config files in {@code files}.
 */
package dev.midplane.core;
