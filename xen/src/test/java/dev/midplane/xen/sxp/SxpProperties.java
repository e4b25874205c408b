package dev.midplane.xen.sxp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.names.HostName;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Round trips of S-expressions, documents and allow-lists on generated input. */
class SxpProperties {

  @Property(tries = 500)
  void expressionsSurviveBothLayouts(@ForAll("expressions") Sxp s) {
    assertThat(Sxp.parse(Sxp.compact(s))).isEqualTo(s);
    assertThat(Sxp.parse(Sxp.render(s))).isEqualTo(s);
  }

  @Property(tries = 300)
  void aParsedDocumentRendersByteForByte(@ForAll("documents") String text) {
    SxpDocument d = SxpDocument.parse(text, "t");
    assertThat(d.render()).isEqualTo(text);
  }

  @Property(tries = 300)
  void editsKeepTheRestAndReadBack(@ForAll("documents") String text, @ForAll("atoms") String value) {
    SxpDocument d = SxpDocument.parse(text, "t");
    SxpDocument changed = d.with("k1", Sxp.entry("k1", value)).without("k2");
    SxpDocument again = SxpDocument.parse(changed.render(), "t");
    assertThat(again.expressions()).isEqualTo(changed.expressions());
    assertThat(again.find("k1").orElseThrow().tail()).containsExactly(Sxp.atom(value));
    assertThat(again.find("k2")).isEmpty();
    List<Sxp> others = new ArrayList<>(d.expressions());
    others.removeIf(e -> e instanceof SxpList l && l.head().filter(h -> h.equals("k1") || h.equals("k2")).isPresent());
    List<Sxp> kept = new ArrayList<>(again.expressions());
    kept.removeIf(e -> e instanceof SxpList l && l.head().filter(h -> h.equals("k1")).isPresent());
    assertThat(kept).isEqualTo(others);
  }

  @Property(tries = 300)
  void exactAllowListsAdmitTheirHostsAndNothingNear(@ForAll("hostSets") List<HostName> hosts, @ForAll("hostNames") HostName other) {
    RelocationAllowList allow = RelocationAllowList.exactHosts(hosts);
    assertThat(allow.isNarrow()).isTrue();
    assertThat(allow.allowsAnyHost()).isFalse();
    for (HostName h : hosts) {
      assertThat(allow.permits(h.value())).isTrue();
      assertThat(allow.permits(h.value() + ".evil.example")).isFalse();
      assertThat(allow.permits(h.value() + "x")).isFalse();
      assertThat(allow.permits(h.value().replace('.', 'x'))).isEqualTo(hosts.stream().anyMatch(o -> o.value().equals(h.value().replace('.', 'x'))));
    }
    assertThat(allow.permits(other.value())).isEqualTo(hosts.contains(other));
    XendConfig x = XendConfig.parse("(xend-relocation-server yes)\n", "t").withRelocationHostsAllow(allow);
    assertThat(XendConfig.parse(x.render(), "t").relocationHostsAllow()).isEqualTo(allow);
  }

  // ------------------------------------------------------------------ generators

  @Provide
  Arbitrary<String> atoms() {
    Arbitrary<Character> c = Arbitraries.frequencyOf(
        Tuple.of(20, Arbitraries.chars().range('!', '~')),
        Tuple.of(3, Arbitraries.of(' ', '(', ')', '\'', '"', '\\', '#')),
        Tuple.of(1, Arbitraries.of('\n', '\t', '\r', '\u0001', '\u001c', '\u2028', 'é', '中')));
    return c.list().ofMaxSize(12).map(l -> {
      StringBuilder b = new StringBuilder();
      l.forEach(b::append);
      return b.toString();
    });
  }

  private Arbitrary<Sxp> expressions(int depth) {
    Arbitrary<Sxp> atom = atoms().map(Sxp::atom);
    if (depth == 0) {
      return atom;
    }
    Arbitrary<Sxp> list = expressions(depth - 1).list().ofMaxSize(5).map(SxpList::new);
    return Arbitraries.frequencyOf(Tuple.of(2, atom), Tuple.of(1, list));
  }

  @Provide
  Arbitrary<Sxp> expressions() {
    return expressions(3);
  }

  @Provide
  Arbitrary<String> documents() {
    Arbitrary<String> key = Arbitraries.of("k1", "k2", "k3", "xend-relocation-port");
    Arbitrary<String> entry = Arbitraries.oneOf(
        net.jqwik.api.Combinators.combine(key, atoms()).as((k, v) -> Sxp.compact(Sxp.entry(k, v))),
        net.jqwik.api.Combinators.combine(key, expressions(2)).as((k, e) -> Sxp.render(Sxp.list(k, e))));
    Arbitrary<String> trivia = Arbitraries.of("\n", "\n\n", " ", "  # comment (with parens)\n", "\t\n", "# x\n#(commented out)\n");
    return net.jqwik.api.Combinators.combine(trivia.list().ofMaxSize(2), entry).as((t, e) -> String.join("", t) + e)
        .list().ofMaxSize(6).map(l -> String.join("\n", l))
        .flatMap(body -> Arbitraries.of("", "\n", "# end").map(end -> body + end));
  }

  @Provide
  Arbitrary<HostName> hostNames() {
    Arbitrary<String> label = Arbitraries.strings().withCharRange('a', 'z').withChars('0', '7', '-').ofMinLength(1).ofMaxLength(8)
        .filter(s -> !s.startsWith("-") && !s.endsWith("-"));
    return label.list().ofMinSize(1).ofMaxSize(4).map(l -> HostName.of(String.join(".", l)));
  }

  @Provide
  Arbitrary<List<HostName>> hostSets() {
    return hostNames().list().ofMinSize(1).ofMaxSize(5);
  }
}
