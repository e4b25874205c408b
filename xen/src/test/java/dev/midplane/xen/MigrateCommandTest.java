package dev.midplane.xen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.CommandTimeoutException;
import dev.midplane.core.Host;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.Fault;
import dev.midplane.core.exec.RecordingRunner;
import dev.midplane.core.exec.Reply;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.xen.MigrationEvent.Stage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrateCommandTest {
  private static final DomainName DOMU = DomainName.of("domU");
  private static final HostName BLADE08 = HostName.of("blade08");

  @TempDir
  Path root;
  private RecordingRunner runner;
  private Toolstack xl;
  private Toolstack xm;

  @BeforeEach
  void setUp() {
    runner = RecordingRunner.scripted();
    Host host = ScriptedHosts.blade07(runner, root);
    xl = Toolstack.xl(host);
    xm = Toolstack.xm(host);
  }

  private static String fixture(String name) {
    return ToolstackOutputsTest.fixture(name);
  }

  @Test
  void aRealMigrationIsHeardLineByLine() {
    runner.on("xl", "migrate").reply(new Reply(0, "", fixture("xl-migrate-pv.txt")));
    List<MigrationEvent> heard = new ArrayList<>();
    MigrationResult r = xl.migrate(DOMU, BLADE08).progress(heard::add).call();

    Command c = runner.takeCommand();
    assertThat(c.argv()).containsExactly("xl", "migrate", "domU", "blade08");
    assertThat(c.timeout()).contains(MigrateCommand.DEFAULT_TIMEOUT);
    assertThat(heard).isEqualTo(r.events());
    assertThat(heard).hasSize(19);
    assertThat(heard.get(0).line()).isEqualTo("dbclient: Caution, skipping hostkey check for localhost");
    assertThat(heard.get(heard.size() - 1).stage()).isEqualTo(Stage.SUCCEEDED);
    assertThat(r.domain()).isEqualTo(DOMU);
    assertThat(r.target()).isEqualTo(BLADE08);
  }

  @Test
  void xlOptionsBecomeExactArgv() {
    runner.on("xl", "migrate").reply(new Reply(0, "", fixture("xl-migrate-pvh.txt")));
    MigrateCommand m = xl.migrate(DOMU, BLADE08)
        .sshCommand(List.of("ssh", "-p", "2222", "-o", "ProxyCommand=nc %h 22; id"))
        .targetConfig("/etc/xen/domU.cfg")
        .debug(true)
        .pausedOnTarget(true)
        .timeout(Duration.ofMinutes(12));
    m.call();
    Command c = runner.takeCommand();
    assertThat(c.argv()).containsExactly("xl", "migrate", "-s", "ssh -p 2222 -o 'ProxyCommand=nc %h 22; id'",
        "-C", "/etc/xen/domU.cfg", "--debug", "-p", "domU", "blade08");
    assertThat(c.timeout()).contains(Duration.ofMinutes(12));
    assertThat(m.command()).isEqualTo(c);
  }

  @Test
  void xmMigratesToTheRelocationServer() {
    runner.on("xm", "migrate").reply(Reply.ok());
    xm.migrate(DomainName.of("web01"), BLADE08).port(8012).call();
    xm.migrate(DomainName.of("web01"), BLADE08).live(false).call();
    assertThat(runner.commands()).extracting(Command::argv).containsExactly(
        List.of("xm", "migrate", "--live", "-p", "8012", "web01", "blade08"),
        List.of("xm", "migrate", "web01", "blade08"));
  }

  @Test
  void optionsOfTheOtherToolstackAreRefused() {
    assertThatThrownBy(() -> xl.migrate(DOMU, BLADE08).live(false)).isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("always live");
    assertThatThrownBy(() -> xl.migrate(DOMU, BLADE08).port(8002)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> xm.migrate(DOMU, BLADE08).sshCommand(List.of("ssh"))).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> xm.migrate(DOMU, BLADE08).debug(true)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> xm.migrate(DOMU, BLADE08).targetConfig("/x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> xm.migrate(DOMU, BLADE08).pausedOnTarget(true)).isInstanceOf(UnsupportedOperationException.class);
    assertThat(runner.commandCount()).isZero();
  }

  @Test
  void aPvGuestOnAHypervisorWithoutShadowPagingFailsWithTheReason() {
    runner.on("xl", "migrate").reply(Reply.fail(1, fixture("xl-migrate-pv-no-shadow.txt")));
    assertThatThrownBy(() -> xl.migrate(DOMU, BLADE08).call()).isInstanceOfSatisfying(MigrationFailedException.class, e -> {
      assertThat(e.lastStage()).isEqualTo(Stage.OTHER);
      assertThat(e.errorLines()).containsExactly(
          "xc: error: Failed to enable logdirty: 95,22,0 (22 = Invalid argument): Internal error",
          "Migration failed, failed to suspend at sender.");
      assertThat(e.events()).extracting(MigrationEvent::stage).containsExactly(Stage.OTHER, Stage.FAILED);
      assertThat(e.hint()).hasValueSatisfying(h -> assertThat(h).contains("shadow paging").contains("keeps running at the source"));
      assertThat(e.getMessage()).contains("`xl migrate domU blade08` on blade07 exited with 1 (migrate domain domU to blade08, last stage OTHER)");
    });
  }

  @Test
  void aFailureAfterTheHandOverSaysToLookAtBothHosts() {
    // the first 16 lines of a real migration (up to the hand-over), then the sender fails
    String real = fixture("xl-migrate-pvh-run7.txt");
    String prefix = String.join("\n", real.lines().toList().subList(0, 16)) + "\n";
    assertThat(prefix).endsWith("migration sender: Giving target permission to start.\n");
    runner.on("xl", "migrate").reply(Reply.fail(1, prefix));
    assertThatThrownBy(() -> xl.migrate(DOMU, BLADE08).call()).isInstanceOfSatisfying(MigrationFailedException.class, e -> {
      assertThat(e.lastStage()).isEqualTo(Stage.STARTING);
      assertThat(e.hint()).hasValueSatisfying(h -> assertThat(h).contains("look at both hosts"));
    });
  }

  @Test
  void anSshFailureSaysTheTargetWasNotReached() {
    // written by hand in the format of OpenSSH's client error, as xl passes ssh's stderr through
    runner.on("xl", "migrate").reply(Reply.fail(1, "ssh: connect to host blade08 port 22: Connection refused\n"));
    assertThatThrownBy(() -> xl.migrate(DOMU, BLADE08).call()).isInstanceOfSatisfying(MigrationFailedException.class, e -> {
      assertThat(e.lastStage()).isEqualTo(Stage.CONNECTING);
      assertThat(e.hint()).hasValueSatisfying(h -> assertThat(h).contains("could not reach blade08 over ssh"));
    });
  }

  @Test
  void aTimeoutKillsTheMigrationAndSaysWhereItWas() {
    runner.on("xl", "migrate").fault(Fault.timeout());
    assertThatThrownBy(() -> xl.migrate(DOMU, BLADE08).timeout(Duration.ofSeconds(5)).call())
        .isInstanceOfSatisfying(MigrationFailedException.class, e -> {
          assertThat(e.getCause()).isInstanceOf(CommandTimeoutException.class);
          assertThat(e.exitCode()).isEmpty();
          assertThat(e.hint()).hasValueSatisfying(h -> assertThat(h).contains("killed after PT5S").contains("still be at the source"));
        });
  }

  @Test
  void anUnknownDomainIsNotFound() {
    // written by hand in the format of xl 4.17's message for an unknown domain
    runner.on("xl", "migrate").reply(Reply.fail(1, "vm9 is an invalid domain identifier (rc=-6)\n"));
    assertThatThrownBy(() -> xl.migrate(DomainName.of("vm9"), BLADE08).call()).isInstanceOf(DomainNotFoundException.class);
  }

  @Test
  void runsOnceAndSurvivesAFailingListener() {
    runner.on("xl", "migrate").reply(new Reply(0, "", fixture("xl-migrate-pvh.txt")));
    MigrateCommand m = xl.migrate(DOMU, BLADE08).progress(e -> {
      throw new IllegalStateException("listener bug");
    });
    assertThat(m.call().events()).hasSize(17);
    assertThatThrownBy(m::call).isInstanceOf(IllegalStateException.class).hasMessageContaining("runs once");
    assertThat(runner.commandCount()).isEqualTo(1);
  }
}
