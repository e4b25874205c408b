package dev.midplane.ssh;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.midplane.core.CommandFailedException;
import dev.midplane.core.CommandTimeoutException;
import dev.midplane.core.exec.ShellQuoting;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one argv on the remote host over an exec channel and returns raw bytes: the engine under
 * the {@link SshCommandRunner} and the command-based file system.
 *
 * <p>SSH carries one command string, which the remote user's shell interprets. The argv is
 * therefore quoted exactly once, here, with {@link ShellQuoting#join}, and run by {@code exec} so
 * that the program replaces the shell. Before that, the shell announces its pid on stderr with a
 * per-command nonce ({@link PidMarker}); the announcement is removed from stderr. On timeout or
 * interrupt a second channel runs {@link #KILL_SCRIPT}, which stops, terminates and finally
 * kills the process and everything it started (its process group where the server made one, as
 * OpenSSH does, and its descendants through {@code /proc} in any case, as dropbear needs), then
 * the channel is closed.
 */
final class RemoteExec {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteExec.class);
  private static final ExecutorService STDIN = Executors.newCachedThreadPool(
      new ThreadFactoryBuilder().setDaemon(true).setNameFormat("midplane-ssh-stdin-%d").build());
  /** How long a finished command's channel may stay silent before it is closed by us. */
  private static final Duration DRAIN_IDLE = Duration.ofSeconds(2);
  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(15);

  /**
   * Kills a remote process ($1) and its descendants. Freezes them first (SIGSTOP) so that none
   * can fork past the snapshot, then SIGTERM + SIGCONT, then SIGKILL whatever is left after about
   * a second. Members of the process group $1 leads count as descendants; $1 not leading a group
   * (dropbear) is handled by the parent links in /proc/PID/stat.
   */
  static final String KILL_SCRIPT = """
      p=$1
      [ -d "/proc/$p" ] || exit 0
      snap() {
        for f in /proc/[0-9]*/stat; do
          { read -r l < "$f"; } 2>/dev/null || continue
          r=${l##*) }
          set -- $r
          echo "${l%% *} $2 $3"
        done
      }
      grow() {
        changed=1
        while [ "$changed" = 1 ]; do
          changed=0
          s=$(snap)
          while read -r i pp pg; do
            case " $want " in *" $i "*) continue;; esac
            if case " $want " in *" $pp "*) true;; *) false;; esac || [ "$pg" = "$p" ]; then
              want="$want $i"; changed=1
            fi
          done <<EOF
      $s
      EOF
        done
      }
      live() {
        n=
        for i in $want; do
          { read -r l < "/proc/$i/stat"; } 2>/dev/null || continue
          r=${l##*) }
          case "$r" in Z*) ;; *) n="$n $i";; esac
        done
        echo $n
      }
      want=$p
      grow; kill -STOP $want 2>/dev/null
      grow; kill -STOP $want 2>/dev/null
      grow
      kill -TERM $want 2>/dev/null; kill -CONT $want 2>/dev/null
      k=0
      while [ -n "$(live)" ] && [ $k -lt 20 ]; do
        sleep 0.05 2>/dev/null || sleep 1
        k=$((k+1))
      done
      left=$(live)
      [ -z "$left" ] || kill -KILL $left 2>/dev/null
      exit 0
      """;

  /** What a remote command did, as bytes. */
  record Raw(int exitCode, byte[] stdout, byte[] stderr, boolean stdoutTruncated, boolean stderrTruncated,
      Duration duration) {
    String stdoutText() {
      return new String(stdout, StandardCharsets.UTF_8);
    }

    String stderrText() {
      return new String(stderr, StandardCharsets.UTF_8);
    }
  }

  private final SshConnection connection;
  private final String hostName;
  private final int maxOutputBytes;
  private final Semaphore channels;

  RemoteExec(SshConnection connection, String hostName, int maxOutputBytes, int maxParallelChannels) {
    this.connection = connection;
    this.hostName = hostName;
    this.maxOutputBytes = maxOutputBytes;
    this.channels = new Semaphore(maxParallelChannels, true);
  }

  String hostName() {
    return hostName;
  }

  SshConnection connection() {
    return connection;
  }

  /** The command string sent for {@code argv}: marker, environment, {@code exec} and the argv. */
  static String commandLine(List<String> argv, Map<String, String> env, String nonce) {
    StringBuilder b = new StringBuilder(PidMarker.announce(nonce));
    env.forEach((k, v) -> b.append(k).append('=').append(ShellQuoting.quote(v)).append("; export ").append(k).append("; "));
    return b.append("exec ").append(ShellQuoting.join(argv)).toString();
  }

  /**
   * Runs {@code argv} with {@code stdin} (empty: EOF at once) and returns its exit code and output.
   *
   * @throws CommandTimeoutException when it outlives {@code timeout} (it is killed first)
   * @throws CommandFailedException when it cannot be started (no session, no channel, no such
   *     program), when the calling thread is interrupted (it is killed, the flag kept), or when the
   *     session is lost while it runs
   */
  Raw run(List<String> argv, Map<String, String> env, byte[] stdin, Duration timeout) {
    return run(argv, env, stdin, timeout, true);
  }

  private Raw run(List<String> argv, Map<String, String> env, byte[] stdin, Duration timeout, boolean killOnAbort) {
    if (argv.get(0).startsWith("-")) {
      throw CommandFailedException.couldNotStart(hostName, argv, "a program name must not start with '-'", null);
    }
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    boolean permit = false;
    try {
      if (killOnAbort) {
        permit = channels.tryAcquire(remaining(deadline), TimeUnit.NANOSECONDS);
        if (!permit) {
          throw new CommandTimeoutException(hostName, argv, timeout, "", "(no free SSH channel within the timeout)");
        }
      }
      for (int attempt = 1; ; attempt++) {
        ClientSession s = session(argv);
        Call call = new Call(argv, env, stdin, timeout, killOnAbort);
        try {
          call.open(s, deadline);
        } catch (IOException | IllegalStateException e) {
          // IllegalStateException: sshd refuses new channels on a session that is closing.
          if (attempt == 1 && (!s.isOpen() || s.isClosing())) {
            LOG.info("SSH session to {} closed before a channel could open; reconnecting once", hostName);
            continue;
          }
          throw CommandFailedException.couldNotStart(hostName, argv, "no SSH channel: " + e.getMessage(), e);
        }
        return call.finish(deadline, start);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailedException(hostName, argv, OptionalInt.empty(), "", "was interrupted and killed", e);
    } finally {
      if (permit) {
        channels.release();
      }
    }
  }

  private ClientSession session(List<String> argv) {
    try {
      return connection.session();
    } catch (SshConnectException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new CommandFailedException(hostName, argv, OptionalInt.empty(), "", "was interrupted before it started", e);
      }
      throw CommandFailedException.couldNotStart(hostName, argv, e.getMessage(), e);
    }
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  /** Kills remote process {@code pid} and its descendants; failures are logged, never thrown. */
  void kill(long pid) {
    if (pid <= 1) {
      LOG.warn("refusing to kill remote pid {} on {}", pid, hostName);
      return;
    }
    try {
      Raw r = run(List.of("sh", "-c", KILL_SCRIPT, "sh", Long.toString(pid)), Map.of(), new byte[0], KILL_TIMEOUT, false);
      if (r.exitCode() != 0) {
        LOG.warn("killing remote pid {} on {} exited {}: {}", pid, hostName, r.exitCode(), r.stderrText().strip());
      }
    } catch (RuntimeException e) {
      LOG.warn("could not kill remote pid {} on {}: {}", pid, hostName, e.getMessage());
    }
  }

  /** One command on one channel. */
  private final class Call {
    private final List<String> argv;
    private final byte[] stdin;
    private final Duration timeout;
    private final boolean killOnAbort;
    private final String nonce = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    private final OutputCapture out = new OutputCapture(maxOutputBytes);
    private final OutputCapture err = new OutputCapture(maxOutputBytes);
    private final PidMarker marker = new PidMarker(nonce, err);
    private final CompletableFuture<Void> exited = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final String line;
    private ChannelExec channel;

    Call(List<String> argv, Map<String, String> env, byte[] stdin, Duration timeout, boolean killOnAbort) {
      this.argv = argv;
      this.stdin = stdin;
      this.timeout = timeout;
      this.killOnAbort = killOnAbort;
      this.line = commandLine(argv, env, nonce);
    }

    void open(ClientSession s, long deadline) throws IOException, InterruptedException {
      channel = s.createExecChannel(line);
      channel.setOut(out);
      channel.setErr(marker);
      channel.addChannelListener(new ChannelListener() {
        @Override
        public void channelStateChanged(Channel c, String hint) {
          if (channel.getExitStatus() != null || channel.getExitSignal() != null) {
            exited.complete(null);
          }
        }

        @Override
        public void channelClosed(Channel c, Throwable reason) {
          closed.complete(null);
        }
      });
      OpenFuture of = channel.open();
      try {
        Await.done(of, Duration.ofNanos(remaining(deadline)));
      } catch (TimeoutException e) {
        of.cancel();
        channel.close(true);
        throw new CommandTimeoutException(hostName, argv, timeout, "", "(the SSH channel did not open within the timeout)");
      } catch (InterruptedException e) {
        channel.close(true);
        throw e;
      }
      if (!of.isOpened()) {
        channel.close(true);
        Throwable why = of.getException();
        throw why instanceof IOException io ? io : new IOException(why == null ? "channel open cancelled" : why.toString(), why);
      }
      OutputStream in = channel.getInvertedIn();
      if (stdin.length == 0) {
        closeQuietly(in);
      } else {
        STDIN.submit(() -> {
          try (OutputStream o = in) {
            o.write(stdin);
          } catch (IOException e) {
            // The program exited or closed its stdin early; its exit code tells the story.
          }
        });
      }
    }

    Raw finish(long deadline, long start) throws InterruptedException {
      try {
        CompletableFuture.anyOf(exited, closed).get(remaining(deadline), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        abort();
        throw new CommandTimeoutException(hostName, argv, timeout, text(out.bytes()), stderrSoFar());
      } catch (InterruptedException e) {
        abort();
        throw e;
      } catch (ExecutionException e) {
        throw new IllegalStateException(e);
      }
      drainAfterExit();
      try {
        marker.finish();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      Integer status = channel.getExitStatus();
      String signal = channel.getExitSignal();
      int code;
      if (status != null) {
        code = status;
      } else if (signal != null) {
        code = Signals.exitCode(signal).orElseThrow(() -> new CommandFailedException(hostName, argv, OptionalInt.empty(),
            stderrSoFar(), "was killed by signal " + signal, null));
      } else {
        throw new CommandFailedException(hostName, argv, OptionalInt.empty(), stderrSoFar(),
            "lost its SSH channel before it exited (session dropped?); its outcome is unknown"
                + marker.pid().thenApply(p -> " and remote pid " + p + " may still be running").getNow(""), null);
      }
      Raw raw = new Raw(code, out.bytes(), err.bytes(), out.truncated(), err.truncated(), took);
      if ((code == 127 || code == 126) && couldNotExec(raw.stderrText())) {
        throw CommandFailedException.couldNotStart(hostName, argv, raw.stderrText().strip(), null);
      }
      return raw;
    }

    /**
     * Exit status is sent when the program ends, possibly before the last of its output: wait for
     * the channel to close while output still flows, but not for a background child that merely
     * holds stdout open.
     */
    private void drainAfterExit() throws InterruptedException {
      long lastTotal = -1;
      long idleSince = System.nanoTime();
      while (!closed.isDone()) {
        try {
          closed.get(100, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          long total = out.total() + err.total();
          if (total != lastTotal) {
            lastTotal = total;
            idleSince = System.nanoTime();
          } else if (System.nanoTime() - idleSince > DRAIN_IDLE.toNanos()) {
            LOG.debug("{} on {} exited but keeps its channel open; closing it", argv.get(0), hostName);
            channel.close(true);
            return;
          }
        } catch (ExecutionException e) {
          throw new IllegalStateException(e);
        }
      }
    }

    private boolean couldNotExec(String stderr) {
      // dash: "sh: 1: exec: x: not found"; bash: "bash: line 1: exec: x: not found";
      // busybox ash: "sh: exec: line 1: x: not found"; 126: "... Permission denied".
      return stderr.contains("exec") && stderr.contains(argv.get(0))
          && (stderr.contains("not found") || stderr.contains("No such file") || stderr.contains("Permission denied")
              || stderr.contains("cannot execute"));
    }

    /** Kills the remote process (when its pid is known) and closes the channel. */
    private void abort() {
      boolean interrupted = Thread.interrupted();
      try {
        if (killOnAbort) {
          Long pid = null;
          try {
            pid = marker.pid().get(2, TimeUnit.SECONDS);
          } catch (TimeoutException | ExecutionException | InterruptedException e) {
            if (e instanceof InterruptedException) {
              interrupted = true;
            }
            LOG.warn("{} on {}: no pid announced; only its channel is closed", argv.get(0), hostName);
          }
          if (pid != null) {
            kill(pid);
          }
        }
        channel.close(true);
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    private String stderrSoFar() {
      return text(err.bytes());
    }
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static void closeQuietly(OutputStream o) {
    try {
      o.close();
    } catch (IOException e) {
      // the channel went away; finish() reports it
    }
  }
}
