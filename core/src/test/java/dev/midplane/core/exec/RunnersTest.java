package dev.midplane.core.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunnersTest {
  private final RecordingRunner inner = RecordingRunner.scripted();

  @Test
  void defaultTimeoutFillsOnlyMissingTimeouts() {
    inner.enqueue(Reply.ok()).enqueue(Reply.ok());
    CommandRunner r = Runners.withDefaultTimeout(inner, Duration.ofSeconds(5));
    r.run(Command.of("a"));
    r.run(Command.builder("b").timeout(Duration.ofSeconds(1)).build());
    assertThat(inner.takeCommand().timeout()).hasValue(Duration.ofSeconds(5));
    assertThat(inner.takeCommand().timeout()).hasValue(Duration.ofSeconds(1));
  }

  @Test
  void dryRunRecordsWithoutRunningAndReadsThroughWhatIsHarmless() {
    inner.enqueue(Reply.ok("live state"));
    DryRunRunner dry = Runners.dryRun(inner, c -> c.argv().contains("show"));
    assertThat(dry.run(Command.of("ip", "link", "show")).stdout()).isEqualTo("live state");
    assertThat(dry.run(Command.of("ip", "link", "del", "bond0")).exitCode()).isZero();
    assertThat(inner.commandCount()).isEqualTo(1);
    assertThat(dry.recorded()).extracting(Command::argv).containsExactly(List.of("ip", "link", "del", "bond0"));
    assertThat(dry.script()).isEqualTo("ip link del bond0\n");
  }

  @Test
  void auditTrailRecordsSuccessFailureAndExceptions() {
    inner.enqueue(Reply.ok()).enqueue(Reply.fail(2, "RTNETLINK answers: File exists\nmore")).enqueue(Fault.timeout());
    AuditTrail.InMemory trail = AuditTrail.inMemory(10);
    CommandRunner r = Runners.auditing(inner, trail);
    r.run(Command.of("ip", "link", "add", "bond0", "type", "bond"));
    r.run(Command.of("ip", "link", "add", "bond0", "type", "bond"));
    assertThatThrownBy(() -> r.run(Command.of("multipath", "-f", "vm1")));
    List<AuditEntry> e = trail.entries();
    assertThat(e).extracting(AuditEntry::outcome).containsExactly(
        AuditEntry.Outcome.OK, AuditEntry.Outcome.EXITED_NON_ZERO, AuditEntry.Outcome.TIMED_OUT);
    assertThat(e.get(1).detail()).isEqualTo("RTNETLINK answers: File exists");
    assertThat(e.get(1).exitCode()).hasValue(2);
    assertThat(e.get(2).toString()).contains("TIMED_OUT").contains("multipath -f vm1");
  }

  @Test
  void inMemoryTrailIsBounded() {
    AuditTrail.InMemory trail = AuditTrail.inMemory(2);
    for (int i = 0; i < 5; i++) {
      inner.enqueue(Reply.ok());
    }
    CommandRunner r = Runners.auditing(inner, trail);
    for (int i = 0; i < 5; i++) {
      r.run(Command.of("c" + i));
    }
    assertThat(trail.entries()).extracting(a -> a.argv().get(0)).containsExactly("c3", "c4");
  }

  @Test
  void loggingPassesResultsAndExceptionsThrough() {
    inner.enqueue(Reply.fail(1, "x")).enqueue(Fault.timeout());
    CommandRunner r = Runners.logging(inner);
    assertThat(r.run(Command.of("a")).exitCode()).isEqualTo(1);
    assertThatThrownBy(() -> r.run(Command.of("b"))).isInstanceOf(dev.midplane.core.CommandTimeoutException.class);
  }

  @Test
  void shellQuotingReadsBackInAShell() {
    assertThat(ShellQuoting.join(List.of("ip", "a b", "it's", "", "$x"))).isEqualTo("ip 'a b' 'it'\\''s' '' '$x'");
  }
}
