package dev.midplane.ssh;

import dev.midplane.core.Host;
import dev.midplane.core.testkit.RequiresReal;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** Against OpenSSH's sshd, started by the test with a throw-away configuration. */
@RequiresReal(tools = {"sshd", "ssh-keygen", "unshare", "mount"}, root = true)
class OpenSshServerTest {
  @TempDir
  static Path dir;
  static final RealServersTest.Server SERVER = new RealServersTest.Server(RealSshd.Kind.OPENSSH);

  @AfterAll
  static void stop() {
    SERVER.stop();
  }

  @Nested
  class Runner extends RealServersTest.RunnerBase {
    @Override
    Host host() {
      return SERVER.host(dir);
    }
  }

  @Nested
  class Files extends RemoteFilesContract {
    @TempDir
    Path scratch;

    @Override
    protected Host host() {
      return SERVER.host(dir);
    }

    @Override
    protected String expectedBackend() {
      return "sftp";
    }

    @Override
    protected Path scratch() {
      return scratch;
    }
  }
}
