package dev.midplane.xen.sxp;

import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.Ipv4Address;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * xend's {@code xend-relocation-hosts-allow}: space-separated regular expressions; a peer may
 * relocate domains to this host when its reverse-DNS name or its address matches one of them
 * (xend uses Python's {@code re.match}, which anchors at the start only). An <em>empty</em> list
 * lets every host in.
 *
 * <p>{@link #exactHosts} builds the narrow kind: one pattern per host, anchored at both ends and
 * escaped ({@code ^blade07\.rack2\.example\.net$}); it refuses to build an empty list.
 * {@link #weaknesses()} says what makes an existing list broader than that.
 */
public final class RelocationAllowList {
  private static final String META = "\\.^$*+?()[]{}|";
  private static final List<String> PROBES = List.of("a", "zz-midplane-probe.invalid", "192.0.2.254", "::1");

  private final List<String> patterns;

  private RelocationAllowList(List<String> patterns) {
    for (String p : patterns) {
      if (p.isEmpty() || p.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("a pattern must be non-empty and contain no whitespace (the list is space-separated): '" + p + "'");
      }
    }
    this.patterns = List.copyOf(patterns);
  }

  /** The list as the config file writes it (space-separated patterns; empty text for none). */
  public static RelocationAllowList parse(String configValue) {
    List<String> out = new ArrayList<>();
    for (String p : configValue.strip().split("\\s+")) {
      if (!p.isEmpty()) {
        out.add(p);
      }
    }
    return new RelocationAllowList(out);
  }

  /** The patterns as given (an empty list lets every host in). */
  public static RelocationAllowList ofPatterns(List<String> patterns) {
    return new RelocationAllowList(patterns);
  }

  /**
   * Exactly these hosts: {@code ^name$} with every regex character escaped, one per distinct host,
   * in the order given.
   *
   * @throws UnsafeOperationException when {@code hosts} is empty, because an empty list would let
   *     every host relocate domains here
   */
  public static RelocationAllowList exactHosts(Collection<HostName> hosts) {
    return exact(hosts, List.of());
  }

  /**
   * Exactly these hosts and addresses (xend matches the peer's name and its address).
   *
   * @throws UnsafeOperationException when both are empty
   */
  public static RelocationAllowList exact(Collection<HostName> hosts, Collection<Ipv4Address> addresses) {
    Set<String> out = new LinkedHashSet<>();
    hosts.forEach(h -> out.add(anchored(h.value())));
    addresses.forEach(a -> out.add(anchored(a.toString())));
    if (out.isEmpty()) {
      throw new UnsafeOperationException("build a relocation allow-list",
          "no hosts given: an empty xend-relocation-hosts-allow lets every host relocate domains here");
    }
    return new RelocationAllowList(new ArrayList<>(out));
  }

  /** {@code ^text$} with every regular-expression character of {@code text} escaped. */
  public static String anchored(String text) {
    StringBuilder b = new StringBuilder("^");
    for (char c : text.toCharArray()) {
      if (META.indexOf(c) >= 0) {
        b.append('\\');
      }
      b.append(c);
    }
    return b.append('$').toString();
  }

  /** The patterns, in order. */
  public List<String> patterns() {
    return patterns;
  }

  /** Whether there are no patterns, which xend reads as "every host". */
  public boolean isEmpty() {
    return patterns.isEmpty();
  }

  /**
   * Whether xend would accept a relocation from a peer with this name or address: true for an empty
   * list, otherwise when a pattern matches at the start ({@code re.match}). A pattern Java cannot
   * compile matches nothing here.
   */
  public boolean permits(String hostOrAddress) {
    Objects.requireNonNull(hostOrAddress, "hostOrAddress");
    if (patterns.isEmpty()) {
      return true;
    }
    for (String p : patterns) {
      try {
        if (Pattern.compile(p).matcher(hostOrAddress).lookingAt()) {
          return true;
        }
      } catch (PatternSyntaxException e) {
        // cannot be evaluated; reported by weaknesses()
      }
    }
    return false;
  }

  /** Whether the list lets in any host: it is empty, or a pattern matches unrelated probe names alike. */
  public boolean allowsAnyHost() {
    if (patterns.isEmpty()) {
      return true;
    }
    return patterns.stream().anyMatch(p -> PROBES.stream().allMatch(probe -> permits(p, probe)));
  }

  private static boolean permits(String pattern, String probe) {
    try {
      return Pattern.compile(pattern).matcher(probe).lookingAt();
    } catch (PatternSyntaxException e) {
      return false;
    }
  }

  /**
   * Why this list is broader than a list of exact names, one sentence per finding; empty for a list
   * as {@link #exactHosts} builds it.
   */
  public List<String> weaknesses() {
    List<String> out = new ArrayList<>();
    if (patterns.isEmpty()) {
      out.add("the list is empty: xend accepts relocation from every host");
      return out;
    }
    for (String p : patterns) {
      try {
        Pattern.compile(p);
      } catch (PatternSyntaxException e) {
        out.add("'" + p + "' is not a valid regular expression: " + e.getDescription());
        continue;
      }
      if (PROBES.stream().allMatch(probe -> permits(p, probe))) {
        out.add("'" + p + "' matches every host");
        continue;
      }
      Scan s = scan(p);
      if (!s.endAnchored) {
        out.add("'" + p + "' is not anchored with '$': it also matches every name that merely starts like it");
      }
      if (s.unescapedDot) {
        out.add("'" + p + "' has an unescaped '.', which matches any character");
      }
      if (s.operators) {
        out.add("'" + p + "' uses regular-expression operators and can match more than one name");
      }
    }
    return out;
  }

  private record Scan(boolean endAnchored, boolean unescapedDot, boolean operators) {}

  private static Scan scan(String p) {
    boolean dot = false;
    boolean ops = false;
    boolean endAnchored = false;
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '\\') {
        i++;
        endAnchored = false;
        continue;
      }
      endAnchored = c == '$' && i == p.length() - 1;
      if (c == '.') {
        dot = true;
      } else if ("*+?{[|(".indexOf(c) >= 0) {
        ops = true;
      }
    }
    return new Scan(endAnchored, dot, ops);
  }

  /** Whether {@link #weaknesses()} is empty. */
  public boolean isNarrow() {
    return weaknesses().isEmpty();
  }

  /** The value for the config file: the patterns joined by single spaces. */
  public String toConfigValue() {
    return String.join(" ", patterns);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RelocationAllowList r && r.patterns.equals(patterns);
  }

  @Override
  public int hashCode() {
    return patterns.hashCode();
  }

  @Override
  public String toString() {
    return patterns.isEmpty() ? "(any host)" : toConfigValue();
  }
}
