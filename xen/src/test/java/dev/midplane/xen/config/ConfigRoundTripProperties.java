package dev.midplane.xen.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import dev.midplane.xen.config.DiskSpec.Access;
import dev.midplane.xen.config.DiskSpec.DeviceType;
import dev.midplane.xen.config.DiskSpec.Form;
import dev.midplane.xen.text.ParseFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** parse(write(x)) == x for configs, disk specs and vif specs, on generated input. */
class ConfigRoundTripProperties {

  @Property(tries = 400)
  void xlConfigsSurviveWriteAndParse(@ForAll("xlConfigs") DomainConfig config) {
    assertRoundTrip(config);
  }

  @Property(tries = 400)
  void xmConfigsSurviveWriteAndParse(@ForAll("xmConfigs") DomainConfig config) {
    assertRoundTrip(config);
  }

  private static void assertRoundTrip(DomainConfig config) {
    String text = config.render();
    DomainConfig again = DomainConfig.parse(text, config.dialect());
    assertThat(again).isEqualTo(config);
    assertThat(again.render()).isEqualTo(text);
  }

  @Property(tries = 200)
  void convertingXmToXlKeepsEveryStringAndList(@ForAll("xmConfigs") DomainConfig xm) {
    DomainConfig xl = DomainConfig.parse(xm.toDialect(Dialect.XL).render(), Dialect.XL);
    for (String key : xm.keys()) {
      ConfigValue a = xm.get(key).orElseThrow();
      ConfigValue b = xl.get(key).orElseThrow();
      assertThat(b).isEqualTo(ConfigWriter.normalise(a, Dialect.XL));
    }
  }

  @Property(tries = 300)
  void changingOneSettingLeavesTheOthersTextAlone(@ForAll("xlConfigs") DomainConfig config, @ForAll("values") ConfigValue value) {
    DomainConfig parsed = DomainConfig.parse(config.render(), Dialect.XL);
    if (parsed.entries().isEmpty()) {
      return;
    }
    String key = parsed.entries().get(0).key();
    DomainConfig changed = parsed.with(key, value);
    DomainConfig reparsed = DomainConfig.parse(changed.render(), Dialect.XL);
    assertThat(reparsed).isEqualTo(changed);
    for (DomainConfig.Entry e : parsed.entries().subList(1, parsed.entries().size())) {
      if (!e.key().equals(key)) {
        assertThat(changed.render()).contains(e.source().orElseThrow());
      }
    }
  }

  @Property(tries = 300)
  void everyCutOfAConfigEitherParsesOrFailsWithAPosition(@ForAll("xlConfigs") DomainConfig config, @ForAll double where) {
    String text = config.render();
    String cut = text.substring(0, (int) (Math.abs(where % 1.0) * text.length()));
    try {
      DomainConfig.parse(cut, Dialect.XL);
    } catch (ParseFailedException e) {
      assertThat(e.line()).isBetween(1, (int) cut.lines().count() + 1);
    }
  }

  @Property(tries = 500)
  void diskSpecsSurviveWriteAndParse(@ForAll("disks") DiskSpec disk) {
    assertThat(DiskSpec.parse(disk.toString())).isEqualTo(disk);
  }

  @Property(tries = 500)
  void vifSpecsSurviveWriteAndParse(@ForAll("vifs") VifSpec vif) {
    assertThat(VifSpec.parse(vif.toString())).isEqualTo(vif);
    assertThat(VifSpec.parse(String.join(",", vif.toArguments()))).isEqualTo(vif);
  }

  // ------------------------------------------------------------------ generators

  private static Arbitrary<String> text() {
    Arbitrary<Character> chars = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(20, Arbitraries.chars().range(' ', '~')),
        net.jqwik.api.Tuple.of(2, Arbitraries.of('\'', '"', '\\', '#', ',', '[', ']', '=', ';', '%')),
        net.jqwik.api.Tuple.of(1, Arbitraries.of('\n', '\t', '\r', '\u0001', '\u007f', '\u000b')),
        net.jqwik.api.Tuple.of(1, Arbitraries.of('é', '中', 'ß', '\u00a0', '\u2028')));
    Arbitrary<String> plain = chars.list().ofMaxSize(24).map(l -> {
      StringBuilder b = new StringBuilder();
      l.forEach(b::append);
      return b.toString();
    });
    return Arbitraries.oneOf(plain, plain.map(s -> s + "\uD83D\uDE00" + s));
  }

  private static Arbitrary<String> keys() {
    return Arbitraries.strings().withCharRange('a', 'z').withChars('_', '0', '9').ofMinLength(1).ofMaxLength(10)
        .filter(k -> !Character.isDigit(k.charAt(0)))
        .filter(k -> !ConfigParser.PYTHON_KEYWORDS.contains(k));
  }

  private static Arbitrary<ConfigValue> numbers(Dialect d) {
    Arbitrary<ConfigValue> dec = Arbitraries.longs().between(0, Long.MAX_VALUE / 2).map(n -> new ConfigValue.Num(Long.toString(n)));
    Arbitrary<ConfigValue> hex = Arbitraries.integers().between(0, 1 << 30).map(n -> new ConfigValue.Num("0x" + Integer.toHexString(n)));
    Arbitrary<ConfigValue> oct = Arbitraries.integers().between(1, 1 << 20).map(n -> new ConfigValue.Num("0" + Integer.toOctalString(n)));
    if (d == Dialect.XL) {
      return Arbitraries.oneOf(dec, hex, oct);
    }
    Arbitrary<ConfigValue> neg = Arbitraries.integers().between(1, 100000).map(n -> new ConfigValue.Num("-" + n));
    Arbitrary<ConfigValue> flt = Arbitraries.integers().between(0, 9999).map(n -> new ConfigValue.Num(n / 100 + "." + n % 100));
    Arbitrary<ConfigValue> bool = Arbitraries.of(true, false).map(ConfigValue.Bool::new);
    return Arbitraries.oneOf(dec, hex, oct, neg, flt, bool);
  }

  private static Arbitrary<ConfigValue> values(Dialect d, int depth) {
    Arbitrary<ConfigValue> str = text().map(ConfigValue.Str::new);
    Arbitrary<ConfigValue> scalar = Arbitraries.oneOf(str, str, numbers(d));
    if (depth == 0) {
      return scalar;
    }
    Arbitrary<ConfigValue> list = values(d, depth - 1).list().ofMaxSize(5).map(ConfigValue.ListOf::new);
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, scalar), net.jqwik.api.Tuple.of(1, list));
  }

  @Provide
  Arbitrary<ConfigValue> values() {
    return values(Dialect.XL, 2);
  }

  private static Arbitrary<List<String>> commentLines() {
    Arbitrary<String> comment = text().map(t -> "# " + t.replaceAll("[\r\n]", " "));
    Arbitrary<String> line = Arbitraries.oneOf(comment, Arbitraries.of("", "   ", "#", "\t# indented"));
    return line.list().ofMaxSize(3);
  }

  private static Arbitrary<DomainConfig> configs(Dialect d) {
    Arbitrary<Optional<String>> trailing = text().map(t -> "# " + t.replaceAll("[\r\n]", " ")).optional(0.3);
    Arbitrary<DomainConfig.Op> op = d == Dialect.XL
        ? Arbitraries.of(DomainConfig.Op.ASSIGN, DomainConfig.Op.APPEND) : Arbitraries.just(DomainConfig.Op.ASSIGN);
    Arbitrary<DomainConfig.Entry> entry = Combinators.combine(keys(), op, values(d, 2), commentLines(), trailing)
        .as((k, o, v, c, t) -> {
          DomainConfig.Op effective = o == DomainConfig.Op.APPEND && !(v instanceof ConfigValue.ListOf)
              && !(v instanceof ConfigValue.Str) ? DomainConfig.Op.ASSIGN : o;
          return DomainConfig.Entry.of(k, effective, v, c, t);
        });
    return entry.list().ofMaxSize(8).map(es -> DomainConfig.of(d, new ArrayList<>(es)));
  }

  @Provide
  Arbitrary<DomainConfig> xlConfigs() {
    return configs(Dialect.XL);
  }

  @Provide
  Arbitrary<DomainConfig> xmConfigs() {
    return configs(Dialect.XM);
  }

  @Provide
  Arbitrary<DiskSpec> disks() {
    Arbitrary<String> path = Arbitraries.strings().withCharRange('a', 'z').withChars('/', '.', '-', '_', ':', '0', '9')
        .ofMinLength(1).ofMaxLength(30).map(s -> "/" + s);
    Arbitrary<String> kvPath = Arbitraries.oneOf(path, path.map(p -> p + ",x=y , z"));
    Arbitrary<String> prefix = Arbitraries.of("phy", "file", "tap:aio", "tap:qcow2", "tap2:tapdisk:aio", "drbd");
    Arbitrary<String> vdev = Arbitraries.of("xvda", "xvdb", "hdc", "sda1", "ioemu:hda", "xvdaa", "d0p1");
    Arbitrary<String> format = Arbitraries.of("raw", "qcow2", "vhd", "qed");
    Arbitrary<String> extra = Arbitraries.of("discard", "no-discard", "direct-io-safe", "colo-port=9000", "trusted", "colo-host=a b");
    return Combinators.combine(Arbitraries.of(Form.values()), prefix.optional(0.6), Arbitraries.oneOf(path, kvPath).optional(0.85),
        format.optional(0.4), vdev, Arbitraries.of(DeviceType.values()).optional(0.3), Arbitraries.of(Access.values()).optional(0.7),
        extra.list().uniqueElements().ofMaxSize(3))
        .as((form, pre, target, fmt, v, type, access, extras) -> {
          DiskSpec.Builder b = DiskSpec.builder().form(form).vdev(v);
          String t = target.orElse(null);
          if (t != null && form == Form.POSITIONAL) {
            t = t.replace(",", "_").replace("=", "_");
          }
          b.target(t).prefix(t == null ? null : pre.orElse(null));
          fmt.ifPresent(b::format);
          type.ifPresent(b::deviceType);
          access.ifPresent(b::access);
          extras.forEach(b::extra);
          return b;
        })
        .filter(b -> {
          try {
            b.build();
            return true;
          } catch (IllegalArgumentException e) {
            return false;
          }
        })
        .map(DiskSpec.Builder::build);
  }

  @Provide
  Arbitrary<VifSpec> vifs() {
    Arbitrary<MacAddress> mac = Arbitraries.longs().between(0, 0xffffffffffffL).map(MacAddress::fromBits);
    Arbitrary<InterfaceName> ifname = Arbitraries.strings().withCharRange('a', 'z').withChars('0', '1', '.', '-', '_')
        .ofMinLength(1).ofMaxLength(15).filter(InterfaceName::isValid).map(InterfaceName::of);
    Arbitrary<Ipv4Address> ip = Arbitraries.integers().map(Ipv4Address::fromBits);
    return Combinators.combine(mac.optional(0.8), ifname.optional(0.8), ip.list().ofMaxSize(3), ifname.optional(0.3),
        Arbitraries.of("vif-bridge", "/etc/xen/scripts/vif-route").optional(0.3), Arbitraries.of("vif", "ioemu").optional(0.3),
        Arbitraries.maps(Arbitraries.of("rate", "backend", "mtu", "uuid"), Arbitraries.of("10Mb/s", "dom1", "9000", "a b c"))
            .ofMaxSize(3))
        .as((m, br, ips, vifname, script, type, extras) -> {
          VifSpec.Builder b = VifSpec.builder();
          m.ifPresent(b::mac);
          br.ifPresent(b::bridge);
          ips.forEach(b::ip);
          vifname.ifPresent(b::vifname);
          script.ifPresent(b::script);
          type.ifPresent(b::type);
          extras.forEach(b::extra);
          return b.build();
        });
  }
}
