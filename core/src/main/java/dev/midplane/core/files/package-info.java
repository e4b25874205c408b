/**
 * Crash-safe config files: {@link dev.midplane.core.files.AtomicFiles} writes via temp file, fsync
 * and rename, and keeps the previous version.
 */
package dev.midplane.core.files;
