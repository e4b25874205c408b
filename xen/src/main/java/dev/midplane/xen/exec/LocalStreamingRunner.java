package dev.midplane.xen.exec;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.midplane.core.CommandFailedException;
import dev.midplane.core.CommandTimeoutException;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.exec.CommandRunner;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Runs local processes (never through a shell) and streams their output: two pooled daemon threads
 * read stdout and stderr as the process writes them, decode UTF-8, cut lines and call the
 * listener, while keeping the full output (bounded per stream) for the {@link CommandResult}. A
 * timeout or an interrupt sends SIGTERM to the process and everything it started, then SIGKILL.
 * Also a plain {@link CommandRunner} (no listener).
 */
public final class LocalStreamingRunner implements StreamingRunner, CommandRunner {
  /** Default bound per stream: 64 MiB. */
  public static final int DEFAULT_MAX_OUTPUT_BYTES = 64 << 20;

  private static final ExecutorService IO = Executors.newCachedThreadPool(
      new ThreadFactoryBuilder().setDaemon(true).setNameFormat("midplane-xen-stream-%d").build());
  private static final File DEV_NULL = new File("/dev/null");

  private final String hostName;
  private final int maxOutputBytes;
  private final Duration killGrace;

  /**
   * @param hostName evidence for exceptions (may be {@code null})
   * @param maxOutputBytes bound of the kept output, per stream (lines are still delivered beyond it)
   * @param killGrace time between SIGTERM and SIGKILL
   */
  public LocalStreamingRunner(String hostName, int maxOutputBytes, Duration killGrace) {
    if (maxOutputBytes <= 0) {
      throw new IllegalArgumentException("maxOutputBytes must be positive");
    }
    this.hostName = hostName;
    this.maxOutputBytes = maxOutputBytes;
    this.killGrace = killGrace;
  }

  @Override
  public CommandResult run(Command command) {
    return run(command, (stream, line) -> { });
  }

  @Override
  public CommandResult run(Command command, OutputListener listener) {
    ProcessBuilder pb = new ProcessBuilder(command.argv());
    pb.environment().putAll(command.environment());
    if (command.stdin().isEmpty()) {
      pb.redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
    }
    long start = System.nanoTime();
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      String m = String.valueOf(e.getMessage());
      int comma = m.indexOf("error=") >= 0 ? m.indexOf(',', m.indexOf("error=")) : -1;
      throw CommandFailedException.couldNotStart(hostName, command.argv(), comma > 0 ? m.substring(comma + 1).strip() : m, e);
    }
    Object lock = new Object();
    Pump out = new Pump(process.getInputStream(), new LineSplitter(OutputListener.Stream.STDOUT, listener), lock, maxOutputBytes);
    Pump err = new Pump(process.getErrorStream(), new LineSplitter(OutputListener.Stream.STDERR, listener), lock, maxOutputBytes);
    Future<?> outDone = IO.submit(out);
    Future<?> errDone = IO.submit(err);
    Future<?> in = command.stdin().isPresent() ? IO.submit(() -> feed(process.getOutputStream(), command.stdin().get())) : null;
    try {
      boolean exited = command.timeout().isPresent()
          ? process.waitFor(command.timeout().get().toNanos(), TimeUnit.NANOSECONDS)
          : waitForever(process);
      if (!exited) {
        killTree(process);
        finish(outDone, process.getInputStream(), Duration.ofSeconds(2));
        finish(errDone, process.getErrorStream(), Duration.ofSeconds(2));
        throw new CommandTimeoutException(hostName, command.argv(), command.timeout().get(), out.text(), err.text());
      }
      finish(outDone, process.getInputStream(), Duration.ofSeconds(5));
      finish(errDone, process.getErrorStream(), Duration.ofSeconds(5));
      if (in != null) {
        in.cancel(true);
      }
      return CommandResult.builder()
          .command(command)
          .exitCode(process.exitValue())
          .stdout(out.text())
          .stderr(err.text())
          .stdoutTruncated(out.truncated())
          .stderrTruncated(err.truncated())
          .duration(Duration.ofNanos(System.nanoTime() - start))
          .build();
    } catch (InterruptedException e) {
      killTree(process);
      Thread.currentThread().interrupt();
      throw new CommandFailedException(hostName, command.argv(), OptionalInt.empty(), err.text(), "was interrupted and killed", e);
    }
  }

  private static boolean waitForever(Process p) throws InterruptedException {
    p.waitFor();
    return true;
  }

  /** Waits for a pump; a grandchild holding the pipe open past the process's exit is cut off by closing it. */
  private static void finish(Future<?> pump, InputStream stream, Duration wait) throws InterruptedException {
    try {
      pump.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      try {
        stream.close();
      } catch (IOException ignored) {
        // closing only to unblock the reader
      }
      try {
        pump.get(1, TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException e2) {
        // keep what was read
      }
    } catch (ExecutionException e) {
      // the pump records what it read before failing
    }
  }

  private static void feed(OutputStream stdin, String text) {
    try (OutputStream os = stdin) {
      os.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // the program closed its stdin early; its exit code tells the story
    }
  }

  /** SIGTERM to the process and everything it started; SIGKILL to what outlives the grace period. */
  private void killTree(Process process) {
    List<ProcessHandle> tree = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
    tree.forEach(ProcessHandle::destroy);
    try {
      CompletableFuture.allOf(tree.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
          .get(killGrace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // what is left gets SIGKILL below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Children started after the first look are caught by the second.
    Stream.concat(tree.stream(), process.descendants()).forEach(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Reads one stream: keeps the bytes (bounded), decodes them and feeds the line splitter. */
  private static final class Pump implements Runnable {
    private final InputStream in;
    private final LineSplitter lines;
    private final Object lock;
    private final int max;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream(8192);
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private long total;

    Pump(InputStream in, LineSplitter lines, Object lock, int max) {
      this.in = in;
      this.lines = lines;
      this.lock = lock;
      this.max = max;
    }

    @Override
    public void run() {
      byte[] buf = new byte[8192];
      ByteBuffer pending = ByteBuffer.allocate(16);
      CharBuffer chars = CharBuffer.allocate(buf.length + 16);
      try (InputStream is = in) {
        int n;
        while ((n = is.read(buf)) > 0) {
          synchronized (this) {
            long room = max - total;
            if (room > 0) {
              kept.write(buf, 0, (int) Math.min(room, n));
            }
            total += n;
          }
          ByteBuffer bytes = ByteBuffer.allocate(pending.position() + n);
          pending.flip();
          bytes.put(pending).put(buf, 0, n).flip();
          chars.clear();
          decoder.decode(bytes, chars, false);
          pending.clear();
          pending.put(bytes);
          chars.flip();
          synchronized (lock) {
            lines.accept(chars);
          }
        }
        if (pending.position() > 0) {
          pending.flip();
          chars.clear();
          decoder.decode(pending, chars, true);
          chars.flip();
          synchronized (lock) {
            lines.accept(chars);
          }
        }
      } catch (IOException e) {
        // the stream was closed under us (see finish): keep what we have
      } finally {
        synchronized (lock) {
          lines.finish();
        }
      }
    }

    synchronized String text() {
      return kept.toString(StandardCharsets.UTF_8);
    }

    synchronized boolean truncated() {
      return total > max;
    }
  }
}
