package dev.midplane.xen.sxp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.testkit.Fixtures;
import dev.midplane.xen.text.ParseFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XendConfigTest {
  private final String text = Fixtures.text(getClass(), "xend-config.sxp");

  @Test
  void readsTheRelocationSettings() {
    XendConfig x = XendConfig.parse(text, "/etc/xen/xend-config.sxp");
    assertThat(x.relocationServer()).isTrue();
    assertThat(x.relocationPort()).isEqualTo(8002);
    assertThat(x.relocationAddress()).isEmpty();
    RelocationAllowList allow = x.relocationHostsAllow();
    assertThat(allow.patterns()).containsExactly("^localhost$", "^localhost\\.localdomain$", "blade0");
    assertThat(allow.permits("localhost.localdomain")).isTrue();
    assertThat(allow.permits("blade07.rack2.example.net")).isTrue(); // 'blade0' matches at the start only
    assertThat(allow.permits("evil.example")).isFalse();
    assertThat(allow.allowsAnyHost()).isFalse();
    assertThat(allow.weaknesses()).containsExactly(
        "'blade0' is not anchored with '$': it also matches every name that merely starts like it");
    assertThat(x.value("dom0-min-mem")).contains("196");
    assertThat(x.render()).isEqualTo(text);
  }

  @Test
  void absentSettingsReadAsXendsDefaults() {
    XendConfig x = XendConfig.parse("# nothing\n(loglevel DEBUG)\n", "x");
    assertThat(x.relocationServer()).isFalse();
    assertThat(x.relocationPort()).isEqualTo(XendConfig.DEFAULT_RELOCATION_PORT);
    assertThat(x.relocationAddress()).isEmpty();
    assertThat(x.relocationHostsAllow().allowsAnyHost()).isTrue();
    assertThat(x.relocationHostsAllow().weaknesses()).containsExactly("the list is empty: xend accepts relocation from every host");
  }

  @Test
  void narrowsTheAllowListInPlaceKeepingEverythingElse() {
    RelocationAllowList narrow = RelocationAllowList.exactHosts(
        List.of(HostName.of("blade07.rack2.example.net"), HostName.of("blade08.rack2.example.net")));
    XendConfig x = XendConfig.parse(text, "x").withRelocationHostsAllow(narrow).withRelocationPort(8012);

    assertThat(x.render()).isEqualTo(text
        .replace("(xend-relocation-hosts-allow '^localhost$ ^localhost\\\\.localdomain$ blade0')",
            "(xend-relocation-hosts-allow '^blade07\\\\.rack2\\\\.example\\\\.net$ ^blade08\\\\.rack2\\\\.example\\\\.net$')")
        .replace("(xend-relocation-port 8002)", "(xend-relocation-port 8012)"));
    XendConfig again = XendConfig.parse(x.render(), "x");
    assertThat(again.relocationHostsAllow()).isEqualTo(narrow);
    assertThat(again.relocationHostsAllow().isNarrow()).isTrue();
    assertThat(again.relocationPort()).isEqualTo(8012);
  }

  @Test
  void refusesToWriteAnAllowListThatLetsEveryHostIn() {
    XendConfig x = XendConfig.parse(text, "x");
    assertThatThrownBy(() -> x.withRelocationHostsAllow(RelocationAllowList.parse("")))
        .isInstanceOfSatisfying(UnsafeOperationException.class, e ->
            assertThat(e.reasons()).containsExactly("the list is empty: xend accepts relocation from every host"));
    assertThatThrownBy(() -> x.withRelocationHostsAllow(RelocationAllowList.parse("^blade07$ .*")))
        .isInstanceOfSatisfying(UnsafeOperationException.class, e -> assertThat(e.reasons()).contains("'.*' matches every host"));
    assertThatThrownBy(() -> RelocationAllowList.exactHosts(List.of())).isInstanceOf(UnsafeOperationException.class)
        .hasMessageContaining("lets every host relocate domains here");
  }

  @Test
  void namesTheBroadPartsOfAnAllowList() {
    RelocationAllowList l = RelocationAllowList.parse("^blade07.example.net$ ^blade0[0-9]$ ^(a|b)$ [");
    assertThat(l.weaknesses()).containsExactly(
        "'^blade07.example.net$' has an unescaped '.', which matches any character",
        "'^blade0[0-9]$' uses regular-expression operators and can match more than one name",
        "'^(a|b)$' uses regular-expression operators and can match more than one name",
        "'[' is not a valid regular expression: Unclosed character class");
    assertThat(l.permits("blade07Xexample.net")).isTrue();
  }

  @Test
  void addressesCanBeAllowedToo() {
    RelocationAllowList l = RelocationAllowList.exact(List.of(HostName.of("blade07")), List.of(Ipv4Address.of("192.0.2.7")));
    assertThat(l.patterns()).containsExactly("^blade07$", "^192\\.0\\.2\\.7$");
    assertThat(l.permits("192.0.2.7")).isTrue();
    assertThat(l.permits("192.0.2.70")).isFalse();
    assertThat(l.permits("192x0.2.7")).isFalse();
  }

  @Test
  void badValuesNameTheirLine() {
    XendConfig x = XendConfig.parse("(a b)\n(xend-relocation-port eighty)\n(xend-relocation-server maybe)\n", "xend-config.sxp");
    assertThatThrownBy(x::relocationPort).isInstanceOfSatisfying(ParseFailedException.class, e -> {
      assertThat(e.line()).isEqualTo(2);
      assertThat(e.getMessage()).contains("expected a port number, found 'eighty'");
    });
    assertThatThrownBy(x::relocationServer).isInstanceOfSatisfying(ParseFailedException.class,
        e -> assertThat(e.line()).isEqualTo(3));
  }

  @Test
  void writesAtomicallyWithABackup(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("xend-config.sxp");
    Files.writeString(f, text);
    XendConfig.read(f).withRelocationServer(false).withRelocationAddress(Ipv4Address.of("192.0.2.7")).write(f);
    XendConfig back = XendConfig.read(f);
    assertThat(back.relocationServer()).isFalse();
    assertThat(back.relocationAddress()).isEqualTo("192.0.2.7");
    assertThat(Files.readString(dir.resolve("xend-config.sxp.bak"))).isEqualTo(text);
  }

  @Test
  void removingASettingTakesItsLineAway() {
    SxpDocument d = SxpDocument.parse("# a\n(x 1)\n(y 2)\n# b\n(x 3)\n(z 4)\n", "t");
    assertThat(d.without("x").render()).isEqualTo("# a\n(y 2)\n# b\n(z 4)\n");
    assertThat(d.with("x", Sxp.entry("x", "9")).render()).isEqualTo("# a\n(x 9)\n(y 2)\n# b\n(z 4)\n");
    assertThat(d.with("w", Sxp.entry("w", "new value")).render()).isEqualTo("# a\n(x 1)\n(y 2)\n# b\n(x 3)\n(z 4)\n(w 'new value')\n");
    assertThat(SxpDocument.parse("(a 1) # no newline", "t").with("b", Sxp.entry("b", "2")).render())
        .isEqualTo("(a 1) # no newline\n(b 2)\n");
  }
}
