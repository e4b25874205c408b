package dev.midplane.sysfs;

/**
 * What a discovery cost in file-system operations: files read (each an open, one or two reads and
 * a close), symbolic links read, directories listed, files found absent, bytes read, and files
 * read more than once (always zero unless something is wrong; counted only when discovery was
 * asked to track them).
 */
public record DiscoveryStats(long fileReads, long linkReads, long directoryListings, long absentFiles, long bytesRead,
    long duplicateReads) {
  /** All operations together. */
  public long operations() {
    return fileReads + linkReads + directoryListings + absentFiles;
  }
}
