package dev.midplane.ssh;

import dev.midplane.core.Host;
import dev.midplane.core.testkit.RequiresReal;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** Against dropbear, started by the test; it has no SFTP, so AUTO falls back to commands. */
@RequiresReal(tools = {"dropbear", "dropbearkey", "ssh-keygen", "unshare", "mount"}, root = true)
class DropbearServerTest {
  @TempDir
  static Path dir;
  static final RealServersTest.Server SERVER = new RealServersTest.Server(RealSshd.Kind.DROPBEAR);

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
      return "commands";
    }

    @Override
    protected Path scratch() {
      return scratch;
    }
  }
}
