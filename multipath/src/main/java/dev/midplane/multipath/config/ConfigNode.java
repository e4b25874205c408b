package dev.midplane.multipath.config;

/**
 * One element of a {@code multipath.conf} tree: a keyword with its value ({@link Attribute}), a
 * section with children ({@link Section}) or a full-line comment ({@link Comment}).
 */
public sealed interface ConfigNode permits Attribute, Section, Comment {}
