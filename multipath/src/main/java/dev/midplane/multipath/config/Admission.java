package dev.midplane.multipath.config;

import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a {@code multipath.conf} admits a LUN under an alias: multipath-tools, reading this file
 * on a reload or at boot, would let the WWID through its blacklist and name its map with the alias,
 * and no other WWID's map would claim that name. Decided from the file alone, as multipath-tools
 * 0.9 decides it:
 *
 * <ul>
 *   <li>a file with a fatal error ({@link MultipathConfig#lint()}: a regular expression that does
 *       not compile) is refused whole, so it admits nothing;
 *   <li>a {@code blacklist_exceptions} {@code wwid} that matches wins over every {@code blacklist}
 *       {@code wwid}; the expressions are POSIX extended regular expressions matched anywhere in
 *       the WWID, a leading {@code !} inverting them ({@link Blacklist#matches});
 *   <li>the alias is that of the WWID's {@code multipaths} entry; repeated entries for one WWID are
 *       merged, the later entry's values winning, and of repeated {@code alias} keywords the last
 *       counts ({@link MultipathConfig#aliasOf}).
 * </ul>
 *
 * <p>What the file cannot say is not judged: the paths' devnode, vendor/product and udev
 * properties (the other blacklist kinds), {@code find_multipaths} and the wwids file, and the maps
 * that exist now.
 *
 * @param wwid the LUN
 * @param alias the name its map must have
 * @param refusals every reason the file does not admit it, in the order of {@link Reason}; empty
 *     when it does
 */
public record Admission(Wwid wwid, MultipathAlias alias, List<Refusal> refusals) {
  /** Why a file does not admit a LUN under an alias. */
  public enum Reason {
    /** multipath-tools refuses the whole file ({@link Refusal#found()}: the fatal problem). */
    REFUSED_FILE,
    /** A {@code blacklist} {@code wwid} matches and no exception does ({@link Refusal#found()}: the first such expression). */
    BLACKLISTED,
    /** No {@code multipaths} entry gives the WWID an alias: its map would get a generated name. */
    NO_ALIAS,
    /** The WWID's entry names its map otherwise ({@link Refusal#found()}: that alias). */
    OTHER_ALIAS,
    /** Another WWID's entry takes the alias ({@link Refusal#found()}: that WWID, as the file writes it). */
    ALIAS_TAKEN
  }

  /**
   * One reason.
   *
   * @param reason which
   * @param found what in the file stands in the way (an expression, an alias, a WWID, a problem);
   *     empty for {@link Reason#NO_ALIAS}
   * @param detail the reason in words, with the names involved
   */
  public record Refusal(Reason reason, Optional<String> found, String detail) {
    public Refusal {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(found, "found");
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
      return detail;
    }
  }

  public Admission {
    Objects.requireNonNull(wwid, "wwid");
    Objects.requireNonNull(alias, "alias");
    refusals = List.copyOf(refusals);
  }

  /** Whether the file admits the LUN under the alias: no refusal. */
  public boolean isAdmitted() {
    return refusals.isEmpty();
  }

  /** The refusals for one reason. */
  public List<Refusal> refusals(Reason reason) {
    return refusals.stream().filter(r -> r.reason() == reason).toList();
  }

  /** Decides it; see the class comment. */
  static Admission of(MultipathConfig c, Wwid wwid, MultipathAlias alias) {
    Optional<ConfigWarning> fatal = c.lint().stream().filter(ConfigWarning::fatal).findFirst();
    if (fatal.isPresent()) {
      return new Admission(wwid, alias, List.of(new Refusal(Reason.REFUSED_FILE, Optional.of(fatal.get().toString()),
          "multipath-tools refuses the whole file (" + fatal.get() + "), so it admits no LUN")));
    }
    List<Refusal> out = new java.util.ArrayList<>();
    String w = wwid.value();
    Optional<String> blacklistedBy = c.blacklist().wwidMatch(w);
    if (blacklistedBy.isPresent() && c.blacklistExceptions().wwidMatch(w).isEmpty()) {
      out.add(new Refusal(Reason.BLACKLISTED, blacklistedBy, "blacklist wwid \"" + blacklistedBy.get() + "\" matches "
          + w + " and no blacklist_exceptions wwid does"));
    }
    Optional<String> named = c.aliasOf(w);
    if (named.isEmpty()) {
      out.add(new Refusal(Reason.NO_ALIAS, Optional.empty(), "no multipaths entry gives " + w
          + " an alias: its map would get a generated name, not " + alias));
    } else if (!named.get().equals(alias.value())) {
      out.add(new Refusal(Reason.OTHER_ALIAS, named, "the multipaths entry of " + w + " names its map " + named.get()
          + ", not " + alias));
    }
    c.aliases().forEach((other, otherAlias) -> {
      if (!other.equals(w) && otherAlias.filter(alias.value()::equals).isPresent()) {
        out.add(new Refusal(Reason.ALIAS_TAKEN, Optional.of(other), "the multipaths entry of " + other
            + " takes the alias " + alias + " too"));
      }
    });
    return new Admission(wwid, alias, out);
  }

  @Override
  public String toString() {
    return (isAdmitted() ? "admits " : "does not admit ") + wwid + " as " + alias
        + (isAdmitted() ? "" : ": " + String.join("; ", refusals.stream().map(Refusal::detail).toList()));
  }
}
