package dev.midplane.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * The embedded test server's exec: runs argv as a process and pumps stdin, stdout and stderr on
 * threads of their own (so a program that reads and writes a lot at once never deadlocks), the way
 * sshd's session child does. When the client closes the channel the pipes are closed but the
 * process is not killed — also as sshd does without a pty — so that killing it is up to the
 * client.
 */
final class ProcessCommand implements Command {
  private final List<String> argv;
  private InputStream in;
  private OutputStream out;
  private OutputStream err;
  private ExitCallback exit;
  private Process process;

  ProcessCommand(List<String> argv) {
    this.argv = List.copyOf(argv);
  }

  @Override
  public void setInputStream(InputStream in) {
    this.in = in;
  }

  @Override
  public void setOutputStream(OutputStream out) {
    this.out = out;
  }

  @Override
  public void setErrorStream(OutputStream err) {
    this.err = err;
  }

  @Override
  public void setExitCallback(ExitCallback callback) {
    this.exit = callback;
  }

  @Override
  public void start(ChannelSession channel, Environment env) throws IOException {
    process = new ProcessBuilder(argv).start();
    Thread stdin = pump("stdin", in, process.getOutputStream(), true);
    Thread stdout = pump("stdout", process.getInputStream(), out, false);
    Thread stderr = pump("stderr", process.getErrorStream(), err, false);
    Thread waiter = new Thread(() -> {
      try {
        int code = process.waitFor();
        // What the program left in its pipes is drained; a background child that keeps them open
        // is not waited for (OpenSSH, too, sends the exit status when the program exits).
        stdout.join(2000);
        stderr.join(2000);
        out.flush();
        err.flush();
        exit.onExit(code);
      } catch (InterruptedException | IOException e) {
        exit.onExit(255, e.toString());
      }
      stdin.interrupt();
    }, "test-sshd-wait");
    waiter.setDaemon(true);
    waiter.start();
  }

  private static Thread pump(String name, InputStream from, OutputStream to, boolean closeTarget) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[32768];
      try {
        int n;
        while ((n = from.read(buf)) > 0) {
          to.write(buf, 0, n);
          to.flush();
        }
      } catch (IOException e) {
        // the other side went away
      } finally {
        if (closeTarget) {
          try {
            to.close();
          } catch (IOException e) {
            // already closed
          }
        }
      }
    }, "test-sshd-" + name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Override
  public void destroy(ChannelSession channel) {
    // Like sshd without a pty: the channel is gone, the process is left to its fate.
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // already closed
    }
  }
}
