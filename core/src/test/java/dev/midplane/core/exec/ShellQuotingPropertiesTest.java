package dev.midplane.core.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The quoting used for display and for remote transports reads back exactly in a real POSIX shell. */
class ShellQuotingPropertiesTest {
  private final LocalCommandRunner local = new LocalCommandRunner();

  @Provide
  Arbitrary<String> words() {
    return Arbitraries.strings()
        .withChars("ab '\"$`\\;|&*?~!#(){}[]<>\n\t-=%@:,./_")
        .withCharRange('\u00e0', '\u00ff')
        .ofMaxLength(20);
  }

  @Property(tries = 150)
  void aQuotedWordIsReadBackUnchanged(@ForAll("words") String word) {
    String script = "printf '%s' " + ShellQuoting.quote(word);
    CommandResult r = local.run(Command.builder("sh", "-c", script).timeout(Duration.ofSeconds(10)).build());
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).isEqualTo(word);
  }
}
