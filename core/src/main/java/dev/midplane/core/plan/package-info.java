/**
 * Multi-step changes: a {@link dev.midplane.core.plan.Plan} of {@link dev.midplane.core.plan.Step}s
 * can be printed as a dry run, applied with per-step verification against the live state, and rolled
 * back in reverse order when a step fails. Every module expresses its changes this way.
 */
package dev.midplane.core.plan;
