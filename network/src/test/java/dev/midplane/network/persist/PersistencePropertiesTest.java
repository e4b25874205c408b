package dev.midplane.network.persist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.network.BondOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever is written reads back as itself, in both formats. */
class PersistencePropertiesTest {
  /** Any text a variable can hold: every code point but NUL and lone surrogates. */
  static Arbitrary<String> anyText() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars(" \t\n\r'\"\\$`#=;{}()*?[]~!&|<>").ofMaxLength(12),
        Arbitraries.strings().ascii().ofMaxLength(20),
        Arbitraries.strings().withCharRange('\u0001', '\u00ff').ofMaxLength(20),
        Arbitraries.strings().withCharRange('\u0100', '\ud7ff').ofMaxLength(5))
        .filter(s -> s.indexOf('\0') < 0);
  }

  @Provide
  Arbitrary<Map<String, String>> variables() {
    // Names bash treats specially (readonly, or set by the shell itself) are left out: a file that
    // assigns them breaks the ifup that sources it, whatever the quoting.
    java.util.Set<String> special = java.util.Set.of("_", "UID", "EUID", "PPID", "SHELLOPTS", "BASHOPTS", "RANDOM",
        "LINENO", "SECONDS", "PWD", "OLDPWD", "IFS", "PATH", "OPTIND", "OPTARG", "GROUPS", "FUNCNAME", "HISTCMD",
        "DIRSTACK", "SRANDOM", "EPOCHSECONDS", "EPOCHREALTIME", "PS1", "PS2", "PS4", "HOME", "SHELL", "SHLVL", "COLUMNS",
        "LINES", "PIPESTATUS", "REPLY", "MAIL", "MAILPATH", "ENV", "CDPATH", "TERM", "LANG", "LC_ALL", "TMOUT");
    Arbitrary<String> keys = Arbitraries.strings().withCharRange('A', 'Z').withChars('_', '1').ofMinLength(1).ofMaxLength(8)
        .filter(k -> !Character.isDigit(k.charAt(0)) && !special.contains(k) && !k.startsWith("BASH")
            && !k.startsWith("LC_") && !k.startsWith("COMP") && !k.startsWith("HIST"));
    return Arbitraries.maps(keys, anyText()).ofMaxSize(8).map(LinkedHashMap::new);
  }

  @Property(tries = 300)
  void ifcfgValuesSurviveWritingAndReading(@ForAll("variables") Map<String, String> vars) {
    IfcfgFile f = IfcfgFile.of(vars);
    IfcfgFile back = IfcfgFile.parse("ifcfg-x", f.render());
    assertThat(back.values()).isEqualTo(vars);
    assertThat(back).isEqualTo(f);
    assertThat(back.warnings()).isEmpty();
  }

  @Property(tries = 300)
  void keyfileValuesSurviveWritingAndReading(@ForAll("variables") Map<String, String> vars,
      @ForAll("variables") Map<String, String> second) {
    vars.replaceAll((key, v) -> v.replaceFirst("^[\u000b\f]+", ""));
    second.replaceAll((key, v) -> v.replaceFirst("^[\u000b\f]+", ""));
    Keyfile k = Keyfile.empty();
    for (Map.Entry<String, String> e : vars.entrySet()) {
      k = k.with("connection", e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue());
    }
    for (Map.Entry<String, String> e : second.entrySet()) {
      k = k.with("bond", e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue());
    }
    Keyfile back = Keyfile.parse("x.nmconnection", k.render());
    assertThat(back.group("connection")).isEqualTo(k.group("connection"));
    assertThat(back.group("bond")).isEqualTo(k.group("bond"));
    assertThat(back.render()).isEqualTo(k.render());
  }

  @Provide
  Arbitrary<BladeLayout> layouts() {
    Arbitrary<BondOptions> options = Arbitraries.oneOf(
        Arbitraries.integers().between(1, 1000).map(BondOptions::activeBackup),
        Combinators.combine(Arbitraries.integers().between(100, 2000),
            Arbitraries.integers().between(1, 254).map(i -> Ipv4Address.of("192.0.2." + i)).list().ofMinSize(1)
                .ofMaxSize(3).uniqueElements(),
            Arbitraries.of("all", "active", "backup"))
            .as((iv, t, v) -> BondOptions.builder().mode(BondOptions.Mode.ACTIVE_BACKUP).arpInterval(iv).arpIpTargets(t)
                .arpValidate(v).failOverMac("active").build()));
    return Combinators.combine(Arbitraries.integers().between(1, 3), options, Arbitraries.of(true, false),
        Arbitraries.integers().between(0, 2), Arbitraries.integers().between(1, 254), Arbitraries.of(true, false))
        .as((bonds, opts, stp, vlans, host, mgmt) -> {
          BladeLayout.Builder b = BladeLayout.builder().bondOptions(opts).stp(stp);
          for (int i = 0; i < bonds; i++) {
            b.addUplinks(new BladeLayout.Uplink(InterfaceName.of("bond" + i),
                List.of(InterfaceName.of("eth" + (2 * i)), InterfaceName.of("eth" + (2 * i + 1))),
                InterfaceName.of("xenbr" + i)));
          }
          for (int v = 0; v < vlans; v++) {
            b.addVlans(new BladeLayout.VlanBridge(InterfaceName.of("bond0"), 100 + v, InterfaceName.of("xenbr" + (100 + v))));
          }
          if (mgmt) {
            b.management(new BladeLayout.Management(InterfaceName.of("xenbr0"), new InterfaceConfig.Ipv4(
                Ipv4Address.of("192.0.2." + host), 24, Optional.of(Ipv4Address.of("192.0.2.254")))));
          }
          return b.build();
        });
  }

  @Property(tries = 200)
  void aLayoutWrittenAsIfcfgReadsBackAsTheSameLayout(@ForAll("layouts") BladeLayout layout) {
    List<InterfaceConfig> back = new ArrayList<>();
    for (InterfaceConfig c : layout.interfaces()) {
      String text = IfcfgFormat.render(c, IfcfgFile.empty(), false).render();
      back.add(IfcfgFormat.read(IfcfgFormat.fileName(c.name()), IfcfgFile.parse("f", text)));
    }
    assertThat(back).isEqualTo(layout.interfaces());
  }

  @Property(tries = 200)
  void aLayoutWrittenAsKeyfilesReadsBackAsTheSameLayout(@ForAll("layouts") BladeLayout layout) {
    List<InterfaceConfig> back = new ArrayList<>();
    for (InterfaceConfig c : layout.interfaces()) {
      String text = KeyfileFormat.render(c).render();
      back.add(KeyfileFormat.read(KeyfileFormat.fileName(c.name()), Keyfile.parse("f", text)));
    }
    assertThat(back).isEqualTo(layout.interfaces());
  }
}
