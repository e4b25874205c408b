package dev.midplane.network.persist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.exec.LocalCommandRunner;
import dev.midplane.core.testkit.Fixtures;
import dev.midplane.core.testkit.RequiresReal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * initscripts read ifcfg files by sourcing them with bash, so bash is the reference: what this
 * SDK reads from a file, and what bash reads from a file this SDK wrote, must be the same values.
 */
@RequiresReal(tools = "bash")
class IfcfgBashCrossCheckTest {
  private static final LocalCommandRunner RUNNER = new LocalCommandRunner();

  /** The values bash sees after sourcing {@code text}, for {@code keys}. */
  static Map<String, String> bash(String text, List<String> keys) {
    try {
      Path dir = Files.createTempDirectory("mpt-ifcfg");
      Path file = dir.resolve("ifcfg-test");
      Files.writeString(file, text, StandardCharsets.UTF_8);
      List<String> argv = new ArrayList<>(List.of("bash", "--noprofile", "--norc", "-c",
          "set -e; . \"$1\"; shift; for k in \"$@\"; do printf '%s\\0' \"${!k}\"; done", "bash", file.toString()));
      argv.addAll(keys);
      CommandResult r = RUNNER.run(Command.builder().args(argv).timeout(Duration.ofSeconds(20)).build());
      Files.delete(file);
      Files.delete(dir);
      r.requireSuccess("bash");
      String[] values = r.stdout().split("\0", -1);
      Map<String, String> out = new LinkedHashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        out.put(keys.get(i), values[i]);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void bashReadsTheHandWrittenFilesAsTheParserDoes() {
    for (String name : List.of("ifcfg-eth0", "ifcfg-xenbr0", "ifcfg-bond0.100")) {
      String text = Fixtures.text(IfcfgBashCrossCheckTest.class, name);
      IfcfgFile f = IfcfgFile.parse(name, text);
      assertThat(bash(text, List.copyOf(f.values().keySet()))).as(name).isEqualTo(f.values());
    }
  }

  @Test
  void bashReadsTheTrickySpellingsAsTheParserDoes() {
    String text = "A=\"one\ntwo\"\nB='x'\"y\"z\\ w\nC=a#b # comment\nD=$'tab\\there\\x41\\101\\e'\nE=\"back\\\\slash \\$HOME \\` \\q\"\n"
        + "F=a\\\nb\nG=\"$\"\nexport H=1\n";
    IfcfgFile f = IfcfgFile.parse("tricky", text);
    assertThat(bash(text, List.copyOf(f.values().keySet()))).isEqualTo(f.values());
  }

  @Provide
  net.jqwik.api.Arbitrary<Map<String, String>> variables() {
    return new PersistencePropertiesTest().variables();
  }

  @Property(tries = 60)
  void bashReadsBackExactlyWhatWasWritten(@ForAll("variables") Map<String, String> vars) {
    IfcfgFile f = IfcfgFile.of(vars);
    assertThat(bash(f.render(), List.copyOf(vars.keySet()))).isEqualTo(vars);
  }
}
