package dev.midplane.lab;

import dev.midplane.core.Host;
import dev.midplane.core.testkit.RequiresReal;
import dev.midplane.multipath.backend.BackendFixture;
import dev.midplane.multipath.backend.DeviceMapperContract;
import dev.midplane.multipath.backend.MultipathToolsContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multipath backend contracts on the real kernel — the {@link MultipathToolsContract} and the
 * {@link DeviceMapperContract} that the simulated tools pass too — against the lab guest's
 * {@code multipath}, {@code multipathd} and {@code dmsetup}, with multipathd running, on the map
 * {@code vm-test} of scsi_debug's LUN over two SCSI hosts. One guest for both suites.
 */
@RequiresReal(tools = QemuCommandLine.PROGRAM, root = true)
@ExtendWith(LabExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultipathContractsIT {
  private MultipathGuest guest;

  @BeforeAll
  void theMapOfTheLun(Host host, @TempDir Path dir) {
    guest = MultipathGuest.prepare(host, dir.resolve("luns")).withMap();
  }

  @AfterAll
  void stopTheDaemon() {
    if (guest != null) {
      guest.stop();
    }
  }

  @Nested
  class Tools extends MultipathToolsContract {
    @Override
    protected BackendFixture fixture() {
      return guest;
    }
  }

  @Nested
  class Dmsetup extends DeviceMapperContract {
    @Override
    protected BackendFixture fixture() {
      return guest;
    }
  }
}
