package dev.midplane.ssh;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.sshd.common.future.SshFuture;

/**
 * Waits for sshd futures the Java way: an interrupt throws {@link InterruptedException} (and the
 * caller decides about the flag), a timeout throws {@link TimeoutException}.
 */
final class Await {
  private Await() {}

  static <F extends SshFuture<F>> F done(F future, Duration timeout) throws InterruptedException, TimeoutException {
    CompletableFuture<F> done = new CompletableFuture<>();
    future.addListener(done::complete);
    try {
      return done.get(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("an sshd future listener failed", e.getCause());
    }
  }
}
