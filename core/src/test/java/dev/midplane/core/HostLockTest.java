package dev.midplane.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.Host;
import dev.midplane.core.MidplaneException;
import dev.midplane.core.exec.SimulatedRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostLockTest {
  @TempDir
  Path root;

  @Test
  void anotherThreadWaitsAndIsToldWhatItWaitedFor() throws Exception {
    Host host = Host.simulated("blade1", root, new SimulatedRunner("blade1"));
    try (HostLock held = HostLock.acquire(host, "antispoof", Duration.ofSeconds(1));
         HostLock again = HostLock.acquire(host, "antispoof", Duration.ofSeconds(1))) {
      assertThat(host.path("/run/midplane/antispoof.lock")).exists();
      CompletableFuture<Throwable> other = CompletableFuture.supplyAsync(() -> {
        try (HostLock l = HostLock.acquire(host, "antispoof", Duration.ofMillis(200))) {
          return null;
        } catch (MidplaneException e) {
          return e;
        }
      });
      assertThat(other.get(10, TimeUnit.SECONDS)).isInstanceOf(MidplaneException.class)
          .hasMessageContaining("waiting for the antispoof lock of blade1");
      // Another lock name, or another host, does not wait.
      try (HostLock l = HostLock.acquire(host, "network", Duration.ofMillis(200))) {
        assertThat(l).isNotNull();
      }
    }
    CompletableFuture<Boolean> after = CompletableFuture.supplyAsync(() -> {
      try (HostLock l = HostLock.acquire(host, "antispoof", Duration.ofSeconds(5))) {
        return true;
      }
    });
    assertThat(after.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void lockNamesCannotLeadOutOfRun() {
    Host host = Host.simulated("blade1", root, new SimulatedRunner("blade1"));
    assertThatThrownBy(() -> HostLock.acquire(host, "../etc/passwd", Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
