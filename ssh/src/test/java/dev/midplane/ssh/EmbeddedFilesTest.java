package dev.midplane.ssh;

import dev.midplane.core.Host;
import dev.midplane.core.testkit.RequiresReal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The file-access contract against embedded servers: SFTP, commands, and commands under busybox. */
class EmbeddedFilesTest {
  @TempDir
  static Path serverDir;
  static TestSshd sshd;
  static TestSshd busybox;

  @BeforeAll
  static void start() {
    sshd = TestSshd.start(serverDir);
  }

  static Path mkdirs(Path p) {
    try {
      return Files.createDirectories(p);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void stop() {
    for (Host h : new Host[] {OverSftp.host, OverCommands.host, OverCommandsUnderBusybox.host}) {
      if (h != null) {
        h.close();
      }
    }
    if (sshd != null) {
      sshd.close();
    }
    if (busybox != null) {
      busybox.close();
    }
  }

  abstract static class Base extends RemoteFilesContract {
    @TempDir
    Path scratch;

    @Override
    protected Path scratch() {
      return scratch;
    }
  }

  /** AUTO against a server with SFTP picks SFTP. */
  @Nested
  class OverSftp extends Base {
    static Host host;

    @Override
    protected Host host() {
      if (host == null) {
        host = sshd.target().connect();
      }
      return host;
    }

    @Override
    protected String expectedBackend() {
      return "sftp";
    }
  }

  /** The command fallback, forced, with GNU coreutils and dash. */
  @Nested
  class OverCommands extends Base {
    static Host host;

    @Override
    protected Host host() {
      if (host == null) {
        host = sshd.target().fileAccess(FileAccess.COMMANDS).connect();
      }
      return host;
    }

    @Override
    protected String expectedBackend() {
      return "commands";
    }
  }

  /**
   * AUTO against a server without SFTP whose only userland is busybox (ash and applets), as in a
   * small initramfs, and whose commands do not lead a process group of their own (as under
   * dropbear).
   */
  @Nested
  @RequiresReal(tools = {"busybox"})
  class OverCommandsUnderBusybox extends Base {
    static Host host;

    @Override
    protected Host host() {
      if (host == null) {
        busybox = TestSshd.start(mkdirs(serverDir.resolve("busybox-sshd")), busyboxOptions());
        host = busybox.target().connect();
      }
      return host;
    }

    @Override
    protected String expectedBackend() {
      return "commands";
    }
  }

  /** busybox ash with a PATH holding only busybox applets. */
  static TestSshd.Options busyboxOptions() {
    try {
      Path bin = mkdirs(serverDir.resolve("busybox-bin"));
      Path busybox = Path.of("/usr/bin/busybox").toRealPath();
      for (String applet : new String(new ProcessBuilder(busybox.toString(), "--list").start().getInputStream().readAllBytes())
          .split("\n")) {
        if (!applet.isBlank()) {
          Files.createSymbolicLink(bin.resolve(applet.strip()), busybox);
        }
      }
      List<String> shell = new ArrayList<>(List.of("/usr/bin/env", "PATH=" + bin, busybox.toString(), "sh"));
      return new TestSshd.Options(false, shell, false);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
