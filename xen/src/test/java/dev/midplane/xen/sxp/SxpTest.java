package dev.midplane.xen.sxp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.testkit.Fixtures;
import dev.midplane.xen.text.ParseFailedException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SxpTest {
  @Test
  void readsXmListLongRecords() {
    List<Sxp> all = Sxp.parseAll(Fixtures.text(getClass(), "xm-list-long.sxp"), "xm list --long");
    assertThat(all).hasSize(2);
    SxpList web = (SxpList) all.get(1);
    assertThat(web.head()).contains("domain");
    assertThat(web.value("name")).contains("web01");
    assertThat(web.value("bootloader_args")).contains("");
    assertThat(web.value("image")).isEmpty();
    SxpList linux = web.child("image").orElseThrow().child("linux").orElseThrow();
    assertThat(linux.value("args")).contains("root=/dev/xvda1 ro console=hvc0");
    assertThat(linux.child("notes").orElseThrow().value("FEATURES")).contains("!writable_page_tables|pae_pgdir_above_4gb");
    assertThat(web.children("device")).hasSize(4);
    assertThat(web.children("device").get(0).child("vif").orElseThrow().value("ip")).contains("192.0.2.21 192.0.2.22");
  }

  @Test
  void unquotedValuesWithSpacesJoinBack() {
    SxpList d = (SxpList) Sxp.parseAll(Fixtures.text(getClass(), "xl-list-l-4.1.sxp"), "xl list -l").get(0);
    assertThat(d.child("image").orElseThrow().value("cmdline")).contains("root=/dev/xvda1 ro");
    assertThat(d.value("xsdata")).isEmpty(); // (xsdata (null)) holds a list
    assertThat(d.child("xsdata").orElseThrow().tail()).containsExactly(Sxp.list("null"));
  }

  @Test
  void quotedStringsTakePythonEscapes() {
    Sxp s = Sxp.parse("(a 'x\\\\y' \"q\\\"t\" 'n\\nl' '\\x41\\101' '' \"it's\") # trailing comment");
    assertThat(((SxpList) s).tail()).containsExactly(Sxp.atom("x\\y"), Sxp.atom("q\"t"), Sxp.atom("n\nl"), Sxp.atom("AA"),
        Sxp.atom(""), Sxp.atom("it's"));
  }

  @Test
  void writesWhatItReads() {
    SxpList s = Sxp.list("domain", Sxp.entry("name", "vm 1"), Sxp.entry("args", "root=/dev/xvda1 ro"), Sxp.entry("empty", ""),
        Sxp.list("device", Sxp.list("vbd", Sxp.entry("uname", "phy:/dev/mapper/vm1"))), Sxp.entry("hash", "#x"),
        Sxp.entry("q", "it's \\ (ok)"));
    assertThat(Sxp.compact(s)).isEqualTo(
        "(domain (name 'vm 1') (args 'root=/dev/xvda1 ro') (empty '') (device (vbd (uname phy:/dev/mapper/vm1))) (hash '#x') (q 'it\\'s \\\\ (ok)'))");
    assertThat(Sxp.render(s)).isEqualTo("""
        (domain
            (name 'vm 1')
            (args 'root=/dev/xvda1 ro')
            (empty '')
            (device
                (vbd
                    (uname phy:/dev/mapper/vm1)
                )
            )
            (hash '#x')
            (q 'it\\'s \\\\ (ok)')
        )""");
    assertThat(Sxp.parse(Sxp.render(s))).isEqualTo(s);
    assertThat(Sxp.parse(Sxp.compact(s))).isEqualTo(s);
  }

  @Test
  void truncatedOrBrokenTextFailsWithItsPosition() {
    String full = Fixtures.text(getClass(), "xm-list-long.sxp");
    String cut = full.substring(0, full.indexOf("(device"));
    assertThatThrownBy(() -> Sxp.parseAll(cut, "`xm list --long` output"))
        .isInstanceOfSatisfying(ParseFailedException.class, e -> {
          assertThat(e.problem()).contains("never closed").contains("truncated");
          assertThat(e.line()).isEqualTo(26); // the second (domain
          assertThat(e.source()).isEqualTo("`xm list --long` output");
        });
    assertThatThrownBy(() -> Sxp.parseAll("(a b))\n", "t")).isInstanceOfSatisfying(ParseFailedException.class,
        e -> assertThat(e.column()).isEqualTo(6));
    assertThatThrownBy(() -> Sxp.parseAll("(a\n 'b)\n", "t")).isInstanceOfSatisfying(ParseFailedException.class,
        e -> assertThat(e.line()).isEqualTo(2));
    assertThatThrownBy(() -> Sxp.parseAll("(a '\\xZZ')", "t")).isInstanceOf(ParseFailedException.class)
        .hasMessageContaining("invalid escape");
    assertThatThrownBy(() -> Sxp.parse("(a) (b)")).isInstanceOf(ParseFailedException.class)
        .hasMessageContaining("exactly one");
  }
}
