package dev.midplane.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The command line sent over SSH, read back by real shells: whatever the argv, the program gets
 * exactly it. Runs {@code sh -c <line>} locally, which is what the server does with it.
 */
class QuotingPropertiesTest {
  @Provide
  Arbitrary<List<String>> words() {
    Arbitrary<String> word = Arbitraries.strings().all().ofMaxLength(12)
        .filter(s -> s.indexOf('\0') < 0)
        .map(s -> new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
        .filter(s -> s.indexOf('\uFFFD') < 0);
    return word.list().ofMaxSize(6);
  }

  @Property(tries = 60)
  void everyArgvSurvivesTheRemoteShell(@ForAll("words") List<String> words) throws Exception {
    List<String> argv = new ArrayList<>(List.of("printf", "%s\\0"));
    argv.addAll(words);
    String line = RemoteExec.commandLine(argv, Map.of("MIDPLANE_Q", words.isEmpty() ? "" : words.get(0)), "0123abcd");
    for (String shell : new String[] {"/bin/sh", "/bin/bash"}) {
      Process p = new ProcessBuilder(shell, "-c", line).start();
      byte[] out = p.getInputStream().readAllBytes();
      p.getErrorStream().readAllBytes();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
      String got = new String(out, StandardCharsets.UTF_8);
      List<String> back = got.isEmpty() ? List.of() : Arrays.asList(got.substring(0, got.length() - 1).split("\0", -1));
      if (words.isEmpty()) {
        // printf with a format and no arguments prints the format once
        assertThat(back).containsExactly("");
      } else {
        assertThat(back).as(shell).isEqualTo(words);
      }
    }
  }

  @Property(tries = 30)
  void environmentValuesSurviveTheRemoteShell(@ForAll("words") List<String> words) throws IOException, InterruptedException {
    String value = String.join(" ", words);
    String line = RemoteExec.commandLine(List.of("printenv", "MIDPLANE_Q"), Map.of("MIDPLANE_Q", value), "0123abcd");
    Process p = new ProcessBuilder("/bin/sh", "-c", line).start();
    String got = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(got).isEqualTo(value + "\n");
  }
}
