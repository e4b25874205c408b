package dev.midplane.multipath.backend;

import dev.midplane.core.Host;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;

/**
 * What the backend contract suites run on: a host whose {@code multipath.conf} lets one LUN
 * through under an alias, and which sees that LUN over a known number of paths — a simulated
 * kernel with simulated tools, or the real kernel of the lab.
 */
public interface BackendFixture {
  Host host();

  /** The LUN the suites work on. */
  Wwid lun();

  /** Its alias in the host's {@code multipath.conf}. */
  MultipathAlias alias();

  /** How many paths the host has to the LUN. */
  int pathCount();

  /** Whether multipathd runs on the host. */
  boolean daemonRunning();

  /**
   * Brings the host back to the suites' starting point before each test: the LUN's map exists with
   * its alias, resumed, without an inactive table, every path up.
   */
  void reset();

  /** Something holds the map open (as a running VM does) until the returned handle is closed. */
  AutoCloseable holdOpen();
}
