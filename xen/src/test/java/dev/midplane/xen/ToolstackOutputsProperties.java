package dev.midplane.xen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.names.MacAddress;
import dev.midplane.xen.text.ParseFailedException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The parsers never return half a result, and the renderers' output reads back. */
class ToolstackOutputsProperties {
  private static final String LIST = ToolstackOutputsTest.fixture("xl-list-running.txt");
  private static final String JSON = ToolstackOutputsTest.fixture("xl-list-l-final.json");
  private static final String INFO = ToolstackOutputsTest.fixture("xl-info-debian.txt");

  @Property(tries = 300)
  void aCutListIsAnErrorOrTheRowsBeforeTheCut(@ForAll @IntRange(min = 0, max = 10_000) int at) {
    int cut = at % LIST.length();
    String text = LIST.substring(0, cut);
    List<DomainInfo> full = ToolstackOutputs.parseList(LIST, "t");
    try {
      List<DomainInfo> part = ToolstackOutputs.parseList(text, "t");
      assertThat(text).endsWith("\n");
      assertThat(full).startsWith(part.toArray(new DomainInfo[0]));
      assertThat(part).hasSize((int) text.lines().count() - 1);
    } catch (ParseFailedException e) {
      assertThat(e.line()).isBetween(0, (int) text.lines().count() + 1);
    }
  }

  @Property(tries = 300)
  void everyCutOfTheJsonListingIsAnError(@ForAll @IntRange(min = 0, max = 100_000) int at) {
    String body = JSON.stripTrailing();
    String text = body.substring(0, at % body.length());
    assertThatThrownBy(() -> ToolstackOutputs.parseListLong(text, "t")).isInstanceOf(ParseFailedException.class);
  }

  @Property(tries = 300)
  void aCutInfoIsAnErrorOrHasEveryLineBeforeTheCut(@ForAll @IntRange(min = 0, max = 10_000) int at) {
    String text = INFO.substring(0, at % INFO.length());
    try {
      HostInfo info = ToolstackOutputs.parseInfo(text, "t");
      assertThat(text).endsWith("\n");
      assertThat(info.attributes()).hasSize((int) text.lines().count());
    } catch (ParseFailedException e) {
      assertThat(e.problem()).containsAnyOf("truncated", "middle of a line");
    }
  }

  @Property(tries = 300)
  void renderedListsReadBack(@ForAll("domains") List<DomainInfo> domains) {
    assertThat(ToolstackOutputs.parseList(ToolstackOutputs.renderList(domains), "t")).isEqualTo(domains);
  }

  @Property(tries = 300)
  void renderedDeviceListsReadBack(@ForAll("blocks") List<BlockDevice> blocks, @ForAll("nics") List<NetworkDevice> nics) {
    assertThat(ToolstackOutputs.parseBlockList(ToolstackOutputs.renderBlockList(blocks), "t")).isEqualTo(blocks);
    assertThat(ToolstackOutputs.parseNetworkList(ToolstackOutputs.renderNetworkList(nics), "t")).isEqualTo(nics);
  }

  @Provide
  Arbitrary<List<DomainInfo>> domains() {
    Arbitrary<String> name = Arbitraries.strings().withCharRange('a', 'z').withChars('-', '_', '.', '0').ofMinLength(1).ofMaxLength(50)
        .filter(n -> Character.isLetter(n.charAt(0)));
    Arbitrary<Set<DomainState>> state = Arbitraries.of(DomainState.values()).set().ofMaxSize(6)
        .map(s -> s.isEmpty() ? EnumSet.noneOf(DomainState.class) : EnumSet.copyOf(s));
    Arbitrary<DomainInfo> d = Combinators.combine(name, Arbitraries.integers().between(0, 32767),
        Arbitraries.longs().between(0, 1 << 22), Arbitraries.integers().between(0, 512), state,
        Arbitraries.integers().between(0, 99_999_999))
        .as((n, id, mem, vcpus, st, tenths) -> DomainInfo.builder().rawName(n).id(id).memoryMib(mem).vcpus(vcpus).state(st)
            .cpuSeconds(tenths / 10.0).build());
    return d.list().ofMinSize(1).ofMaxSize(6);
  }

  @Provide
  Arbitrary<List<BlockDevice>> blocks() {
    Arbitrary<Integer> n = Arbitraries.integers().between(-1, 1 << 20);
    return Combinators.combine(Arbitraries.integers().between(0, 1 << 29), n, n, Arbitraries.integers().between(0, 8), n, n,
        Arbitraries.strings().withCharRange('a', 'z').withChars('/', '0', '9').ofMaxLength(40))
        .as((v, be, h, st, ev, rr, p) -> new BlockDevice(v, be, h, st, ev, rr, "/" + p)).list().ofMaxSize(5);
  }

  @Provide
  Arbitrary<List<NetworkDevice>> nics() {
    Arbitrary<Integer> n = Arbitraries.integers().between(-1, 1 << 20);
    return Combinators.combine(Arbitraries.integers().between(0, 999), n, Arbitraries.longs().between(0, 0xffffffffffffL),
        Arbitraries.integers().between(0, 8), n, n, n, Arbitraries.strings().withCharRange('a', 'z').withChars('/').ofMaxLength(40))
        .as((i, be, mac, st, ev, tx, rx, p) -> new NetworkDevice(i, be, MacAddress.fromBits(mac), i, st, ev, tx, rx, "/" + p))
        .list().ofMaxSize(5);
  }
}
