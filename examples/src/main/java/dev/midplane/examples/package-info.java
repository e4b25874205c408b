/**
 * Example programs, each a {@code main} that runs against the embedded simulated chassis
 * ({@link dev.midplane.examples.demo.DemoChassis}) and prints what happens:
 * {@link dev.midplane.examples.BondFailover}, {@link dev.midplane.examples.LunGrow} and
 * {@link dev.midplane.examples.Migration}. The same scenarios, as jshell scripts, are in
 * {@code examples/jshell/}. Run one with
 * {@code java -cp "$(./midplane classpath)" dev.midplane.examples.BondFailover}.
 */
package dev.midplane.examples;
