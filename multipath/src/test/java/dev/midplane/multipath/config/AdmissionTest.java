package dev.midplane.multipath.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** How {@link MultipathConfig#admission} decides, reason by reason, and on generated files. */
class AdmissionTest {
  private static final Wwid W = Wwid.of("3600a0b800026b2820000004d4d2f6b4b");
  private static final Wwid OTHER = Wwid.of("3600a0b800026b2820000004d4d2f6b4c");
  private static final MultipathAlias VM1 = MultipathAlias.of("vm1");

  private static List<Admission.Reason> reasons(String text, Wwid wwid, MultipathAlias alias) {
    return MultipathConfig.parse(text).admission(wwid, alias).refusals().stream().map(Admission.Refusal::reason).toList();
  }

  private static String entry(Wwid w, String alias) {
    return "multipaths {\n multipath {\n  wwid " + w + "\n  alias " + alias + "\n }\n}\n";
  }

  @Test
  void anExceptionWinsOverTheBlacklistWhateverTheirOrder() {
    String ex = "blacklist_exceptions {\n wwid \"^3600a0b8\"\n}\n";
    String bl = "blacklist {\n wwid \"4b$\"\n}\n";
    assertThat(reasons(ex + bl + entry(W, "vm1"), W, VM1)).isEmpty();
    assertThat(reasons(bl + ex + entry(W, "vm1"), W, VM1)).isEmpty();
    assertThat(reasons(bl + entry(W, "vm1"), W, VM1)).containsExactly(Admission.Reason.BLACKLISTED);
    assertThat(reasons(entry(W, "vm1"), W, VM1)).as("no blacklist at all: nothing keeps it out").isEmpty();
  }

  @Test
  void eachRefusalSaysWhatInTheFileStandsInTheWay() {
    String text = "blacklist {\n wwid \"^36\"\n wwid \".*\"\n}\nblacklist_exceptions {\n wwid \"^1Linux\"\n}\n"
        + "multipaths {\n multipath {\n  wwid " + W + "\n  alias vm1b\n }\n multipath {\n  wwid " + OTHER
        + "\n  alias vm1\n }\n}\n";
    Admission a = MultipathConfig.parse(text).admission(W, VM1);
    assertThat(a.isAdmitted()).isFalse();
    assertThat(a.refusals()).extracting(Admission.Refusal::reason, r -> r.found().orElseThrow(), Admission.Refusal::detail)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Admission.Reason.BLACKLISTED, "^36",
                "blacklist wwid \"^36\" matches " + W + " and no blacklist_exceptions wwid does"),
            org.assertj.core.groups.Tuple.tuple(Admission.Reason.OTHER_ALIAS, "vm1b",
                "the multipaths entry of " + W + " names its map vm1b, not vm1"),
            org.assertj.core.groups.Tuple.tuple(Admission.Reason.ALIAS_TAKEN, OTHER.value(),
                "the multipaths entry of " + OTHER + " takes the alias vm1 too"));
    Admission none = MultipathConfig.empty().admission(W, VM1);
    assertThat(none.refusals()).singleElement().satisfies(r -> {
      assertThat(r.reason()).isEqualTo(Admission.Reason.NO_ALIAS);
      assertThat(r.found()).isEmpty();
      assertThat(r.detail()).isEqualTo("no multipaths entry gives " + W + " an alias: its map would get a generated name, not vm1");
    });
  }

  @Test
  void aFileMultipathToolsRefusesAdmitsNothing() {
    String text = "blacklist {\n wwid \"(\"\n}\n" + entry(W, "vm1");
    Admission a = MultipathConfig.parse(text).admission(W, VM1);
    assertThat(a.refusals()).singleElement().satisfies(r -> {
      assertThat(r.reason()).isEqualTo(Admission.Reason.REFUSED_FILE);
      assertThat(r.detail()).startsWith("multipath-tools refuses the whole file (").contains("unmatched '('");
    });
    assertThatThrownBy(() -> Blacklist.matches("(", "x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unmatched '('");
  }

  @Test
  void repeatedEntriesMergeWithTheLaterAliasWinning() {
    String text = "multipaths {\n multipath {\n  wwid " + W + "\n  alias first\n }\n multipath {\n  wwid " + W
        + "\n  alias second\n  alias vm1\n }\n multipath {\n  wwid " + W + "\n  no_path_retry 5\n }\n}\n";
    MultipathConfig c = MultipathConfig.parse(text);
    assertThat(c.aliasOf(W.value())).contains("vm1");
    assertThat(c.admits(W, VM1)).isTrue();
    assertThat(c.admission(W, MultipathAlias.of("first")).refusals()).extracting(Admission.Refusal::reason)
        .containsExactly(Admission.Reason.OTHER_ALIAS);
  }

  @Test
  void expressionsArePosixExtendedMatchedAnywhereAndABangInvertsThem() {
    assertThat(Blacklist.matches("[[:xdigit:]]{32}$", "36" + "0".repeat(31))).isTrue();
    assertThat(Blacklist.matches("^eui\\.[[:xdigit:]]+$", "eui.0025388b71b2b3f4")).isTrue();
    assertThat(Blacklist.matches("^eui\\.[[:xdigit:]]+$", "euiX0025388b71b2b3f4")).isFalse();
    assertThat(Blacklist.matches("[\\d]", "3600")).as("a backslash is literal in a bracket expression").isFalse();
    assertThat(Blacklist.matches("[\\d]", "a\\b")).isTrue();
    assertThat(Blacklist.matches("\\d", "d")).as("\\d is no class in POSIX: the letter d").isTrue();
    assertThat(Blacklist.matches("^3{,2}6", "36")).isTrue();
    assertThat(Blacklist.matches("!^36", "36001")).isFalse();
    assertThat(Blacklist.matches("!^36", "eui.1")).isTrue();
    assertThat(Blacklist.matches("SCSI", "1scsi")).as("case sensitive, as regexec without REG_ICASE").isFalse();
  }

  @Provide
  Arbitrary<String> hexWwids() {
    return Arbitraries.strings().withChars("0123456789abcdef").ofLength(31).map(h -> "3" + h);
  }

  @Provide
  Arbitrary<String> prefixes() {
    return Arbitraries.strings().withChars("0123456789abcdef").ofMinLength(0).ofMaxLength(4);
  }

  /**
   * On generated files with a blacklist and exceptions that may or may not match: blacklisted
   * exactly when a blacklist expression matches and no exception does, whatever the other entries.
   */
  @Property(tries = 300)
  void blacklistedExactlyWhenABlacklistMatchesAndNoExceptionDoes(@ForAll("hexWwids") String wwid,
      @ForAll("prefixes") String blacklisted, @ForAll("prefixes") String excepted, @ForAll boolean anchored,
      @ForAll boolean named) {
    String bl = (anchored ? "^" : "") + "3" + blacklisted;
    String ex = "^3" + excepted;
    String text = "blacklist {\n wwid \"" + bl + "\"\n}\nblacklist_exceptions {\n wwid \"" + ex + "\"\n}\n"
        + (named ? entry(Wwid.of(wwid), "vm1") : "");
    boolean inBlacklist = anchored ? wwid.startsWith("3" + blacklisted) : wwid.contains("3" + blacklisted);
    boolean inExceptions = wwid.startsWith("3" + excepted);
    List<Admission.Reason> r = reasons(text, Wwid.of(wwid), VM1);
    assertThat(r.contains(Admission.Reason.BLACKLISTED)).isEqualTo(inBlacklist && !inExceptions);
    assertThat(r.contains(Admission.Reason.NO_ALIAS)).isEqualTo(!named);
    assertThat(r.isEmpty()).isEqualTo(named && !(inBlacklist && !inExceptions));
  }
}
