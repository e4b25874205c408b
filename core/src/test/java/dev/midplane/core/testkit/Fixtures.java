package dev.midplane.core.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Loads captured real outputs from test resources. A fixture file starts with one or more
 * provenance lines beginning with {@code #@} (where and how it was captured: system, versions,
 * command); they are stripped, so the parser under test sees exactly the captured text.
 *
 * <pre>{@code
 * #@ captured: Debian 12, kernel 6.1.0-56-amd64 under QEMU, multipath-tools 0.9.4
 * #@ command: multipath -ll
 * vm-test (1Linux_scsi_debug_2000) dm-0 Linux,scsi_debug
 * ...
 * }</pre>
 */
public final class Fixtures {
  private Fixtures() {}

  /** The fixture's text without its provenance header; fails when the header is missing. */
  public static String text(Class<?> anchor, String resource) {
    String raw = raw(anchor, resource);
    int start = 0;
    while (raw.startsWith("#@", start)) {
      int nl = raw.indexOf('\n', start);
      start = nl < 0 ? raw.length() : nl + 1;
    }
    if (start == 0) {
      throw new AssertionError("fixture " + resource + " has no '#@' provenance header");
    }
    return raw.substring(start);
  }

  /** The provenance header lines, without their {@code #@ } prefix. */
  public static java.util.List<String> provenance(Class<?> anchor, String resource) {
    return raw(anchor, resource).lines().takeWhile(l -> l.startsWith("#@")).map(l -> l.substring(2).strip()).toList();
  }

  private static String raw(Class<?> anchor, String resource) {
    try (InputStream in = anchor.getResourceAsStream(resource)) {
      if (in == null) {
        throw new AssertionError("no test resource " + resource + " next to " + anchor.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
