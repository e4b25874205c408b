package dev.midplane.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.multipath.config.MultipathConfig;
import dev.midplane.multipath.config.ParsedConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code midplane multipath-conf}: the generated file, and refusals of bad inventories and bases. */
class MultipathConfCommandTest {
  private static final String WEB = "3600a0b800026b2820000004d4d2f6b4b";
  private static final String DB = "3600a0b800026b2820000004e4d2f6b4c";

  @TempDir
  Path dir;

  private Path file(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void printsTheBlacklistEverythingButTheInventoryConfig() throws IOException {
    Path inv = file("luns", "# shared LUN inventory\nvm-web01 " + WEB + " web01\nvm-db01 " + DB + " db01\n");
    Cli.Run run = Cli.run("multipath-conf", "--inventory", inv.toString());
    assertThat(run.code()).as(run.toString()).isZero();
    ParsedConfig parsed = MultipathConfig.parseWithWarnings(run.out(), "output");
    assertThat(parsed.warnings()).isEmpty();
    MultipathConfig c = parsed.config();
    assertThat(c.blacklist().wwids()).containsExactly(".*");
    assertThat(c.blacklistExceptions().wwids()).containsExactly("^" + WEB + "$", "^" + DB + "$");
    assertThat(c.multipath(WEB).orElseThrow().alias()).contains("vm-web01");
    assertThat(c.multipath(DB).orElseThrow().alias()).contains("vm-db01");
    assertThat(c.defaultValue("find_multipaths")).contains("no");
  }

  @Test
  void keepsTheBasesOtherSettings() throws IOException {
    Path inv = file("luns", "vm-web01 " + WEB + "\n");
    Path base = file("multipath.conf", "defaults {\n    polling_interval 10\n}\nblacklist {\n    devnode \"^sda$\"\n}\n");
    Cli.Run run = Cli.run("multipath-conf", "--inventory", inv.toString(), "--base", base.toString());
    assertThat(run.code()).as(run.toString()).isZero();
    MultipathConfig c = MultipathConfig.parse(run.out());
    assertThat(c.defaultValue("polling_interval")).contains("10");
    assertThat(c.blacklist().devnodes()).containsExactly("^sda$");
    assertThat(c.blacklist().wwids()).containsExactly(".*");
  }

  @Test
  void anInventoryThatBreaksTheRulesIsBadInputWithEveryLine() throws IOException {
    Path inv = file("luns", "vm-web01 " + WEB + "\nvm-web01 " + DB + "\nmpatha 3600a0b800026b2820000004f4d2f6b4d\n");
    Cli.Run run = Cli.run("multipath-conf", "--inventory", inv.toString());
    assertThat(run.code()).isEqualTo(Midplane.BAD_INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains(inv.toString()).contains("line 2").contains("line 3");
  }

  @Test
  void aMissingInventoryIsBadInput() {
    Cli.Run run = Cli.run("multipath-conf", "--inventory", dir.resolve("none").toString());
    assertThat(run.code()).isEqualTo(Midplane.BAD_INPUT);
    assertThat(run.err()).contains("--inventory " + dir.resolve("none") + ": no such file");
  }

  @Test
  void aBaseMultipathToolsWouldRejectIsBadInput() throws IOException {
    Path inv = file("luns", "vm-web01 " + WEB + "\n");
    Path base = file("bad.conf", "blacklist {\n    wwid \"(\"\n}\n");
    Cli.Run run = Cli.run("multipath-conf", "--inventory", inv.toString(), "--base", base.toString());
    assertThat(run.code()).isEqualTo(Midplane.BAD_INPUT);
    assertThat(run.err()).contains("--base " + base);
  }

  @Test
  void theInventoryOptionIsRequired() {
    Cli.Run run = Cli.run("multipath-conf");
    assertThat(run.code()).isEqualTo(Midplane.BAD_INPUT);
    assertThat(run.err()).contains("--inventory");
  }
}
