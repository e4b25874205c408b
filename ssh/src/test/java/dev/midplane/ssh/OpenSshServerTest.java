package dev.midplane.ssh;

import dev.midplane.core.Host;
import dev.midplane.core.testkit.RequiresReal;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The runner and file-access contracts against OpenSSH's sshd, started by the test with a throw-away configuration (SFTP). */
@RequiresReal(tools = {"sshd", "ssh-keygen", "unshare", "mount"}, root = true)
class OpenSshServerTest {
  @TempDir
  static Path dir;
  static final RealServersTest.Server SERVER = new RealServersTest.Server(RealSshd.Kind.OPENSSH);

  @BeforeAll
  static void place() {
    SERVER.in(dir);
  }

  @AfterAll
  static void stop() {
    SERVER.stop();
  }

  @Nested
  class Runner extends RealServersTest.RunnerBase {
    @Override
    Host host() {
      return SERVER.host();
    }
  }

  @Nested
  class Files extends RealServersTest.FilesBase {
    @Override
    RealServersTest.Server server() {
      return SERVER;
    }
  }
}
