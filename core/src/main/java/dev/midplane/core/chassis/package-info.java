/**
 * A chassis: several hosts operated in parallel with per-host results.
 *
 * <p>{@link dev.midplane.core.chassis.Chassis#onEach} runs a
 * {@link dev.midplane.core.chassis.HostTask} on every host under a per-host timeout and bounded
 * parallelism, and returns {@link dev.midplane.core.chassis.ChassisResults}: one
 * {@link dev.midplane.core.chassis.HostResult} per host (value, exception or timeout, and
 * duration) in the chassis's order. A slow or dead host costs its own timeout and nothing more.
 *
 * <p>Whole-chassis operations are built on top by the modules that own their subject: an
 * inventory is a task returning a snapshot value per host; a homogeneity report compares those
 * values across {@code ChassisResults.values()}; a migration preflight runs its checks through
 * {@code chassis.except(source).onEach(...)}.
 */
package dev.midplane.core.chassis;
