package dev.midplane.multipath.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.exec.LocalCommandRunner;
import dev.midplane.core.testkit.RequiresReal;
import dev.midplane.multipath.RealMultipathT;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The two halves of {@link Admission} held against real tools: the alias of repeated
 * {@code multipath} entries against what the real {@code multipath -t} (multipath-tools 0.9.4)
 * merges them into, and the matching of blacklist expressions against GNU {@code grep -E}, whose
 * matcher is glibc's POSIX regex code ({@code regcomp(REG_EXTENDED)}, {@code regexec}).
 */
@RequiresReal(tools = {"multipath", "unshare", "mount", "sh", "grep"}, root = true)
class AdmissionRealToolTest {
  private static final List<String> WWIDS = List.of(
      "3600a0b800026b2820000004d4d2f6b4b", "3600a0b800026b2820000004d4d2f6b4c", "eui.0025388b71b2b3f4");

  /** One generated {@code multipath} entry: a WWID of three, and zero, one or two alias keywords. */
  record Entry(int wwid, List<String> aliases) {}

  @Provide
  Arbitrary<List<Entry>> entries() {
    Arbitrary<List<String>> aliases = Arbitraries.of("vm1", "vm2", "db").list().ofMaxSize(2);
    return Combinators.combine(Arbitraries.integers().between(0, WWIDS.size() - 1), aliases).as(Entry::new)
        .list().ofMinSize(1).ofMaxSize(5);
  }

  @Property(tries = 25)
  void theAliasOfRepeatedEntriesIsTheOneMultipathToolsMergesThemInto(@ForAll("entries") List<Entry> entries) {
    StringBuilder text = new StringBuilder("multipaths {\n");
    for (Entry e : entries) {
      text.append("\tmultipath {\n\t\twwid \"").append(WWIDS.get(e.wwid())).append("\"\n");
      e.aliases().forEach(a -> text.append("\t\talias \"").append(a).append("\"\n"));
      text.append("\t\tno_path_retry 3\n\t}\n");
    }
    text.append("}\n");
    RealMultipathT.Result real = RealMultipathT.run(text.toString());
    assertThat(real.exitCode()).as(real.messages().toString()).isZero();
    MultipathConfig merged = MultipathConfig.parse(real.dump());
    MultipathConfig ours = MultipathConfig.parse(text.toString());
    for (String w : WWIDS) {
      assertThat(ours.aliasOf(w)).as(w + " in\n" + text).isEqualTo(merged.aliasOf(w));
      assertThat(merged.multipaths().stream().filter(e -> e.wwid().equals(w)).count()).as("merged into one").isLessThanOrEqualTo(1);
    }
  }

  @Provide
  Arbitrary<String> expressions() {
    Arbitrary<String> simple = Arbitraries.of("0", "3", "6", "a", "b", "f", ".", "\\.", "[0-9a-c]", "[^0-3]", "[[:xdigit:]]",
        "[[:digit:]]", "[[:alpha:]]", "[.e]", "[]a]", "[a-]", "u", "i", "\\d", "[\\d]");
    Arbitrary<String> group = Combinators.combine(simple.list().ofMinSize(1).ofMaxSize(3), simple.list().ofMinSize(1).ofMaxSize(3))
        .as((a, b) -> "(" + String.join("", a) + "|" + String.join("", b) + ")");
    Arbitrary<String> atom = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, simple), net.jqwik.api.Tuple.of(1, group));
    Arbitrary<String> quantifier = Arbitraries.of("", "", "", "*", "+", "?", "{2}", "{1,3}", "{,2}", "{2,}");
    Arbitrary<String> piece = Combinators.combine(atom, quantifier).as((a, q) -> a + q);
    return Combinators.combine(Arbitraries.of("", "^"), piece.list().ofMinSize(1).ofMaxSize(5), Arbitraries.of("", "$"))
        .as((s, p, e) -> s + String.join("", p) + e);
  }

  @Provide
  Arbitrary<List<String>> subjects() {
    Arbitrary<String> hex = Arbitraries.strings().withChars("0123456789abcdef").ofMinLength(1).ofMaxLength(12);
    return Arbitraries.oneOf(hex.map(h -> "36" + h), hex.map(h -> "eui." + h), hex.map(h -> "1Linux_" + h + "d"))
        .list().ofMinSize(4).ofMaxSize(10);
  }

  @Property(tries = 150)
  void expressionsMatchWhatGrepMatches(@ForAll("expressions") String re, @ForAll("subjects") List<String> subjects) {
    assertThat(PosixRegex.problem(re)).as(re).isEmpty();
    CommandResult r = new LocalCommandRunner().run(Command.builder("grep", "-E", "-n", "-e", re)
        .stdin(String.join("\n", subjects) + "\n").env("LC_ALL", "C").timeout(Duration.ofSeconds(20)).build());
    assertThat(r.exitCode()).as("grep -E " + re + ": " + r.stderr()).isIn(0, 1);
    Set<Integer> grep = new TreeSet<>();
    r.stdout().lines().forEach(l -> grep.add(Integer.parseInt(l.substring(0, l.indexOf(':')))));
    Set<Integer> ours = new TreeSet<>();
    for (int i = 0; i < subjects.size(); i++) {
      if (Blacklist.matches(re, subjects.get(i))) {
        ours.add(i + 1);
      }
    }
    assertThat(ours).as(re + " on " + subjects).isEqualTo(grep);
  }
}
