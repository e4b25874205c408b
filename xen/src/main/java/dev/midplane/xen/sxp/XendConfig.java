package dev.midplane.xen.sxp;

import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.xen.text.ParseFailedException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A typed view of {@code xend-config.sxp} for what live migration between xm hosts needs: the
 * relocation server, its port and address, and the allow-list of peers. Everything else in the file
 * (and every comment) is kept; see {@link #document()}. Immutable.
 *
 * <p>Absent settings read as xend's defaults: relocation server off, port
 * {@value #DEFAULT_RELOCATION_PORT}, all addresses, and an empty allow-list — which lets every host
 * in, and which {@link #withRelocationHostsAllow} therefore refuses to write.
 *
 * <pre>{@code
 * XendConfig x = XendConfig.read(host.path("/etc/xen/xend-config.sxp"));
 * x.withRelocationServer(true)
 *  .withRelocationHostsAllow(RelocationAllowList.exactHosts(List.of(blade07, blade08)))
 *  .write(host.path("/etc/xen/xend-config.sxp"));
 * }</pre>
 */
public final class XendConfig {
  public static final String RELOCATION_SERVER = "xend-relocation-server";
  public static final String RELOCATION_PORT = "xend-relocation-port";
  public static final String RELOCATION_ADDRESS = "xend-relocation-address";
  public static final String RELOCATION_HOSTS_ALLOW = "xend-relocation-hosts-allow";
  /** xend's default relocation port. */
  public static final int DEFAULT_RELOCATION_PORT = 8002;

  private final SxpDocument document;

  private XendConfig(SxpDocument document) {
    this.document = Objects.requireNonNull(document, "document");
  }

  /** Parses the text of an {@code xend-config.sxp}. */
  public static XendConfig parse(String text, String sourceName) {
    return new XendConfig(SxpDocument.parse(text, sourceName));
  }

  /** Reads and parses a file (UTF-8). */
  public static XendConfig read(Path file) {
    return new XendConfig(SxpDocument.read(file));
  }

  /** The typed view of an already parsed document. */
  public static XendConfig of(SxpDocument document) {
    return new XendConfig(document);
  }

  /** The whole file: every setting, comment and blank line. */
  public SxpDocument document() {
    return document;
  }

  /**
   * The value of a {@code (key value)} setting: its atoms joined by spaces; empty when not set.
   *
   * @throws ParseFailedException when the setting holds lists instead of a value
   */
  public Optional<String> value(String key) {
    Optional<SxpList> e = document.find(key);
    if (e.isEmpty()) {
      return Optional.empty();
    }
    if (e.get().tail().stream().anyMatch(i -> !(i instanceof SxpAtom))) {
      throw problem(key, "expected (" + key + " value), found " + e.get());
    }
    return Optional.of(String.join(" ", e.get().tail().stream().map(i -> ((SxpAtom) i).value()).toList()));
  }

  private ParseFailedException problem(String key, String what) {
    return new ParseFailedException(document.sourceName(), document.lineOf(key), 0,
        document.find(key).map(Sxp::compact).orElse(""), what);
  }

  /** {@code xend-relocation-server}: whether xend accepts incoming migrations (default off). */
  public boolean relocationServer() {
    return value(RELOCATION_SERVER).map(v -> bool(RELOCATION_SERVER, v)).orElse(false);
  }

  private boolean bool(String key, String v) {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "yes", "y", "true", "t", "on", "1" -> true;
      case "no", "n", "false", "f", "off", "0" -> false;
      default -> throw problem(key, "expected yes or no, found '" + v + "'");
    };
  }

  /** {@code xend-relocation-port} (default {@value #DEFAULT_RELOCATION_PORT}). */
  public int relocationPort() {
    Optional<String> v = value(RELOCATION_PORT);
    if (v.isEmpty()) {
      return DEFAULT_RELOCATION_PORT;
    }
    try {
      int port = Integer.parseInt(v.get());
      if (port < 1 || port > 65535) {
        throw problem(RELOCATION_PORT, "port out of range: " + port);
      }
      return port;
    } catch (NumberFormatException e) {
      throw problem(RELOCATION_PORT, "expected a port number, found '" + v.get() + "'");
    }
  }

  /** {@code xend-relocation-address}: the address the relocation server listens on; empty text means all. */
  public String relocationAddress() {
    return value(RELOCATION_ADDRESS).orElse("");
  }

  /** {@code xend-relocation-hosts-allow}; an empty list (the default) lets every host in. */
  public RelocationAllowList relocationHostsAllow() {
    return RelocationAllowList.parse(value(RELOCATION_HOSTS_ALLOW).orElse(""));
  }

  /** Sets {@code xend-relocation-server} to {@code yes} or {@code no}, in place or appended. */
  public XendConfig withRelocationServer(boolean on) {
    return withValue(RELOCATION_SERVER, on ? "yes" : "no");
  }

  /** Sets {@code xend-relocation-port}. */
  public XendConfig withRelocationPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    return withValue(RELOCATION_PORT, Integer.toString(port));
  }

  /** Listen on this address only. */
  public XendConfig withRelocationAddress(Ipv4Address address) {
    return withValue(RELOCATION_ADDRESS, address.toString());
  }

  /**
   * Sets the allow-list.
   *
   * @throws UnsafeOperationException when the list lets every host in (empty, or a pattern such as
   *     {@code .*}); build one with {@link RelocationAllowList#exactHosts}
   */
  public XendConfig withRelocationHostsAllow(RelocationAllowList allow) {
    if (allow.allowsAnyHost()) {
      throw new UnsafeOperationException("set " + RELOCATION_HOSTS_ALLOW + " to '" + allow.toConfigValue() + "'",
          allow.weaknesses());
    }
    return withValue(RELOCATION_HOSTS_ALLOW, allow.toConfigValue());
  }

  /** Sets {@code (key value)} in place, or appends it. */
  public XendConfig withValue(String key, String value) {
    return new XendConfig(document.with(key, Sxp.entry(key, value)));
  }

  /** The file's text; unchanged parts exactly as read. */
  public String render() {
    return document.render();
  }

  /** Writes the file atomically, keeping the previous version as {@code <name>.bak}. */
  public void write(Path file) {
    document.write(file);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof XendConfig x && x.document.equals(document);
  }

  @Override
  public int hashCode() {
    return document.hashCode();
  }

  @Override
  public String toString() {
    return render();
  }
}
