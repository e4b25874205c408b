package dev.midplane.xen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.InvalidNameException;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.LocalCommandRunner;
import dev.midplane.core.exec.RecordingRunner;
import dev.midplane.core.exec.Reply;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.core.testkit.RequiresReal;
import dev.midplane.xen.config.DiskSpec;
import dev.midplane.xen.config.VifSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile names are refused before anything runs; valid ones reach argv as exactly one word. */
class HostileInputTest {
  private static final List<String> HOSTILE = List.of("vm1; reboot", "$(id)", "`id`", "-f", "--help", "a b", "vm1\nreboot",
      "../etc/passwd", "vm|x", "vm&", "'vm'", "", "(null)", "123", "vm\0x", "vm>x");

  private final RecordingRunner runner = RecordingRunner.scripted();
  private final Toolstack xl = Toolstack.xl(ScriptedHosts.blade07(runner, Path.of("/nonexistent")));

  @Test
  void hostileDomainNamesNeverBecomeDomainNames() {
    for (String h : HOSTILE) {
      assertThatThrownBy(() -> DomainName.of(h)).as(h).isInstanceOf(InvalidNameException.class);
    }
  }

  @Test
  void hostilePathsVdevsAndSpecsAreRefusedBeforeAnythingRuns() {
    DomainName vm = DomainName.of("vm1");
    for (String bad : List.of("etc/xen/vm1.cfg", "/etc/xen/../shadow", "/etc/xen/vm1.cfg\nreboot", "/x\u0007")) {
      assertThatThrownBy(() -> xl.create(bad)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> xl.save(vm, bad, false)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> xl.restore(bad, false)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> xl.migrate(vm, HostName.of("blade08")).targetConfig(bad)).isInstanceOf(IllegalArgumentException.class);
    }
    for (String bad : List.of("xvdb; reboot", "-f", "", "xvd b")) {
      assertThatThrownBy(() -> xl.blockDetach(vm, bad)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> xl.networkDetach(vm, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DiskSpec.parse("phy:/dev/x,xvda;reboot,w")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VifSpec.parse("bridge=xenbr0 $(id)")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HostName.of("blade08;id")).isInstanceOf(InvalidNameException.class);
    assertThatThrownBy(() -> HostName.of("-oProxyCommand=id")).isInstanceOf(InvalidNameException.class);
    assertThat(runner.commandCount()).isZero();
  }

  @Property(tries = 500)
  void anyStringIsEitherRefusedOrOneExactArgvWord(@ForAll("anyText") String s) {
    RecordingRunner r = RecordingRunner.scripted();
    r.on("xl").reply(Reply.ok());
    Toolstack t = Toolstack.xl(ScriptedHosts.blade07(r, Path.of("/nonexistent")));
    DomainName name;
    try {
      name = DomainName.of(s);
    } catch (InvalidNameException e) {
      assertThat(r.commandCount()).isZero();
      return;
    }
    if (name.isDomain0()) {
      return;
    }
    t.destroy(name);
    Command c = r.takeCommand();
    assertThat(c.argv()).containsExactly("xl", "destroy", s);
    assertThat(s).doesNotStartWith("-").matches("[A-Za-z0-9_.-]+");
  }

  @Provide
  Arbitrary<String> anyText() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(20),
        Arbitraries.strings().withCharRange('a', 'z').withChars(';', '$', '`', ' ', '-', '.', '_', '|', '\n', '0').ofMaxLength(12),
        Arbitraries.of(HOSTILE));
  }

  @Test
  @RequiresReal(tools = {"sh", "printf"})
  void sshWordsSurviveTheShellXlHandsThemTo(@TempDir Path dir) {
    Path pwned = dir.resolve("pwned");
    List<String> words = List.of("ssh", "-o", "ProxyCommand=nc %h 22; touch " + pwned, "$(touch " + pwned + ")", "`id`", "a b", "'q'");
    runner.on("xl", "migrate").reply(Reply.ok());
    xl.migrate(DomainName.of("vm1"), HostName.of("blade08")).sshCommand(words).call();
    String rune = runner.takeCommand().argv().get(3);
    // xl runs "exec <ssh command> <host> xl migrate-receive" through sh -c; print the words instead of exec'ing them
    var r = new LocalCommandRunner().run(Command.builder("sh", "-c", "printf '%s\\n' " + rune + " blade08")
        .timeout(Duration.ofSeconds(20)).build());
    assertThat(r.stdoutLines()).containsExactlyElementsOf(
        java.util.stream.Stream.concat(words.stream(), java.util.stream.Stream.of("blade08")).toList());
    assertThat(Files.exists(pwned)).isFalse();
  }
}
