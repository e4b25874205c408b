package dev.midplane.core.exec;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.midplane.core.CommandFailedException;
import dev.midplane.core.CommandTimeoutException;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs commands as local processes through {@link ProcessBuilder}: never a shell. stdout and stderr
 * are drained by pooled daemon threads while the process runs, each bounded by
 * {@code maxOutputBytes} (the rest is read and discarded, so the child never blocks on a full pipe).
 * On timeout or interrupt the process and all its descendants get SIGTERM, then SIGKILL after a
 * short grace period.
 */
public final class LocalCommandRunner implements CommandRunner {
  /** Default bound per stream: 64 MiB. */
  public static final int DEFAULT_MAX_OUTPUT_BYTES = 64 << 20;

  private static final ExecutorService IO = Executors.newCachedThreadPool(
      new ThreadFactoryBuilder().setDaemon(true).setNameFormat("midplane-process-io-%d").build());
  private static final File DEV_NULL = new File("/dev/null");

  private final int maxOutputBytes;
  private final Duration killGrace;
  private final String hostName;

  public LocalCommandRunner() {
    this(null, DEFAULT_MAX_OUTPUT_BYTES, Duration.ofSeconds(1));
  }

  /**
   * @param hostName the name put into exceptions as evidence (may be {@code null})
   * @param maxOutputBytes bound for stdout and for stderr, each
   * @param killGrace time between SIGTERM and SIGKILL when a command must be killed
   */
  public LocalCommandRunner(String hostName, int maxOutputBytes, Duration killGrace) {
    if (maxOutputBytes <= 0) {
      throw new IllegalArgumentException("maxOutputBytes must be positive");
    }
    this.hostName = hostName;
    this.maxOutputBytes = maxOutputBytes;
    this.killGrace = killGrace;
  }

  @Override
  public CommandResult run(Command command) {
    return run(command, null);
  }

  /** Runs {@code command}, delivering its output lines to {@code listener} as they arrive. */
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
      throw CommandFailedException.couldNotStart(hostName, command.argv(), startFailure(e), e);
    }
    OutputListener serial = listener == null ? null : serialised(listener);
    Future<Captured> out = IO.submit(() -> drain(process.getInputStream(), maxOutputBytes,
        serial == null ? null : new LineSplitter(OutputListener.Stream.STDOUT, serial)));
    Future<Captured> err = IO.submit(() -> drain(process.getErrorStream(), maxOutputBytes,
        serial == null ? null : new LineSplitter(OutputListener.Stream.STDERR, serial)));
    Future<?> in = command.stdin().isPresent()
        ? IO.submit(() -> feed(process.getOutputStream(), command.stdin().get()))
        : null;
    try {
      boolean exited;
      if (command.timeout().isPresent()) {
        exited = process.waitFor(command.timeout().get().toNanos(), TimeUnit.NANOSECONDS);
      } else {
        process.waitFor();
        exited = true;
      }
      if (!exited) {
        killTree(process);
        Captured o = collect(out, process.getInputStream(), Duration.ofSeconds(2));
        Captured e = collect(err, process.getErrorStream(), Duration.ofSeconds(2));
        throw new CommandTimeoutException(hostName, command.argv(), command.timeout().get(), o.text(), e.text());
      }
      // A background grandchild may keep the pipes open after the process itself exited; do not
      // wait for it forever.
      Captured o = collect(out, process.getInputStream(), Duration.ofSeconds(5));
      Captured e = collect(err, process.getErrorStream(), Duration.ofSeconds(5));
      if (in != null) {
        in.cancel(true);
      }
      return CommandResult.builder()
          .command(command)
          .exitCode(process.exitValue())
          .stdout(o.text())
          .stderr(e.text())
          .stdoutTruncated(o.truncated)
          .stderrTruncated(e.truncated)
          .duration(Duration.ofNanos(System.nanoTime() - start))
          .build();
    } catch (InterruptedException ie) {
      killTree(process);
      Thread.currentThread().interrupt();
      throw new CommandFailedException(
          hostName, command.argv(), OptionalInt.empty(), "", "was interrupted and killed", ie);
    }
  }

  private static String startFailure(IOException e) {
    String m = String.valueOf(e.getMessage());
    // "Cannot run program "x": error=2, No such file or directory"
    int i = m.indexOf("error=");
    if (i >= 0) {
      int comma = m.indexOf(',', i);
      return comma > 0 ? m.substring(comma + 1).strip() : m.substring(i);
    }
    return m;
  }

  /** SIGTERM to the process and every descendant, then SIGKILL to whatever is left. */
  void killTree(Process process) {
    List<ProcessHandle> tree = new java.util.ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + killGrace.toNanos();
    while (System.nanoTime() < deadline && tree.stream().anyMatch(ProcessHandle::isAlive)) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    // Children may have been started between the snapshot and the signal; look again.
    for (int round = 0; round < 3; round++) {
      List<ProcessHandle> more = process.descendants().toList();
      tree.addAll(more);
      tree.forEach(ProcessHandle::destroyForcibly);
      if (more.isEmpty()) {
        break;
      }
    }
    try {
      process.waitFor(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Captured collect(Future<Captured> f, InputStream stream, Duration wait) throws InterruptedException {
    try {
      return f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      closeQuietly(stream);
      try {
        return f.get(1, TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException e2) {
        return new Captured(new byte[0], 0, true);
      }
    } catch (ExecutionException e) {
      return new Captured(new byte[0], 0, true);
    }
  }

  private static void closeQuietly(InputStream s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing only to unblock the reader
    }
  }

  private static Void feed(OutputStream stdin, String text) {
    try (OutputStream os = stdin) {
      os.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // The program exited or closed its stdin early; its exit code tells the story.
    }
    return null;
  }

  private static OutputListener serialised(OutputListener listener) {
    Object lock = new Object();
    return (stream, line) -> {
      synchronized (lock) {
        listener.line(stream, line);
      }
    };
  }

  /** Reads a stream to its end: keeps up to {@code max} bytes and feeds every line to {@code lines}. */
  static Captured drain(InputStream in, int max, LineSplitter lines) {
    ByteArrayOutputStream kept = new ByteArrayOutputStream(8192);
    long total = 0;
    byte[] buf = new byte[65536];
    CharsetDecoder decoder = lines == null ? null : StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    ByteBuffer pending = ByteBuffer.allocate(buf.length + 8);
    CharBuffer chars = CharBuffer.allocate(buf.length + 8);
    boolean closed = false;
    try (InputStream is = in) {
      int n;
      while ((n = is.read(buf)) > 0) {
        long room = max - total;
        if (room > 0) {
          kept.write(buf, 0, (int) Math.min(room, n));
        }
        total += n;
        if (decoder != null) {
          pending.put(buf, 0, n).flip();
          decoder.decode(pending, chars, false);
          pending.compact();
          lines.accept(chars.flip());
          chars.clear();
        }
      }
    } catch (IOException e) {
      // Stream closed under us (see collect): keep what we have.
      closed = true;
    }
    if (decoder != null) {
      pending.flip();
      decoder.decode(pending, chars, true);
      decoder.flush(chars);
      lines.accept(chars.flip());
      lines.finish();
    }
    return new Captured(kept.toByteArray(), total, closed || total > max);
  }

  record Captured(byte[] bytes, long total, boolean truncated) {
    String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }
}
