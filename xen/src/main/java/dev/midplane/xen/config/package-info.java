/**
 * Xen domain config files in both dialects — xl.cfg(5) and the Python files of xm — as immutable
 * values: {@link dev.midplane.xen.config.DomainConfig} (settings, comments, unknown keys kept; an
 * unchanged file renders byte for byte), {@link dev.midplane.xen.config.ConfigValue},
 * {@link dev.midplane.xen.config.DiskSpec} and {@link dev.midplane.xen.config.VifSpec} for the
 * {@code disk} and {@code vif} items. Files that hold Python code are reported with every
 * offending line ({@link dev.midplane.xen.config.PythonCodeException}), never half-read.
 */
@MidplaneStyle
package dev.midplane.xen.config;

import dev.midplane.core.MidplaneStyle;
