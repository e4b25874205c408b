/**
 * The embedded demo: {@link dev.midplane.examples.demo.DemoChassis} (two simulated blades behind
 * one simulated FC array, and a shared directory) and {@link dev.midplane.examples.demo.Demo}, the
 * paper's scenario run on it step by step, reported to a {@link dev.midplane.examples.demo.DemoLog}
 * for people or as JSON lines. {@code midplane demo} runs it; the tests check its facts.
 */
package dev.midplane.examples.demo;
