package dev.midplane.xen.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.Fault;
import dev.midplane.core.exec.RecordingRunner;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.MacAddress;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.testkit.Fixtures;
import dev.midplane.xen.DomainInfo;
import dev.midplane.xen.DomainState;
import dev.midplane.xen.MigrationEvent;
import dev.midplane.xen.MigrationEvent.Stage;
import dev.midplane.xen.MigrationFailedException;
import dev.midplane.xen.MigrationResult;
import dev.midplane.xen.Toolstack;
import dev.midplane.xen.Xen;
import dev.midplane.xen.XenDomain;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** xl migrate between two simulated blades: the domain really moves, and every failure leaves it where xl leaves it. */
class SimulatedMigrationTest {
  private static final DomainName VM1 = DomainName.of("vm1");
  private static final MacAddress MAC = MacAddress.of("00:16:3e:00:01:01");

  @TempDir
  Path dir;
  private SimulatedChassis chassis;
  private XenDomain vm1;

  @BeforeEach
  void setUp() {
    chassis = SimulatedChassis.builder().blades(2).build(dir);
    chassis.provisionLun(MultipathAlias.of("vm1"), 8L << 30);
    vm1 = Xen.on(chassis.host("blade1")).create(Vms.vm("vm1", 1, "xenbr1"));
  }

  private int openCount(String blade) {
    return chassis.kernel(blade).deviceMapper().device("vm1").orElseThrow().openCount();
  }

  private Optional<DomainInfo> on(String blade) {
    return chassis.xen(blade).domain(VM1);
  }

  @Test
  void theDomainMovesWithItsDiskAndVifAndPrintsWhatARealMigrationPrints() {
    MigrationResult r = vm1.migrate(HostName.of("blade2")).call();
    // the receiver's and the sender's lines interleave as they happened to in one real run
    assertThat(r.events()).extracting(e -> withoutNumbers(e.line())).containsExactlyInAnyOrderElementsOf(
        realLines("xl-migrate-pvh-run7.txt"));

    assertThat(on("blade1")).isEmpty();
    assertThat(on("blade2")).hasValueSatisfying(d -> assertThat(d.state()).containsExactly(DomainState.BLOCKED));
    assertThat(openCount("blade1")).isZero();
    assertThat(openCount("blade2")).isEqualTo(1);
    assertThat(chassis.kernel("blade2").net().link(InterfaceName.of("vm1-0"))).isPresent();
    assertThat(chassis.kernel("blade1").net().link(InterfaceName.of("vm1-0"))).isEmpty();
    assertThat(chassis.whereIs(MAC)).containsExactly(HostName.of("blade2"));

    assertThat(r.events()).extracting(MigrationEvent::stage).contains(Stage.TARGET_READY, Stage.SENDING, Stage.RECEIVING,
        Stage.TRANSFER_COMPLETE, Stage.STARTING, Stage.STARTED, Stage.SUCCEEDED);
  }

  @Test
  void aPvMigrationPrintsTheLinesOfTheRealOneInTheirOrder() {
    vm1.destroy();
    XenDomain pv = Xen.on(chassis.host("blade1")).create(Vms.pv("vm1", 1, "xenbr1"));
    MigrationResult r = pv.migrate(HostName.of("blade2")).call();
    assertThat(r.events()).extracting(e -> withoutNumbers(e.line())).containsExactlyElementsOf(realLines("xl-migrate-pv.txt"));
  }

  /** A real capture's lines, numbers aside, without the dropbear banner the capture's ssh printed. */
  private static List<String> realLines(String fixture) {
    return Fixtures.text(Xen.class, fixture).lines().filter(l -> !l.isBlank() && !l.startsWith("dbclient:"))
        .map(SimulatedMigrationTest::withoutNumbers).toList();
  }

  private static String withoutNumbers(String line) {
    return line.replaceAll("0x[0-9a-f]+", "N").replaceAll("[0-9]+", "N");
  }

  @Test
  void thePvGuestOfAHostWithoutShadowPagingStaysWithTheRealError() {
    SimulatedChassis debian = SimulatedChassis.builder().blades(2).blade("blade1", b -> b.withoutShadowPaging())
        .build(dir.resolve("debian"));
    debian.provisionLun(MultipathAlias.of("vm1"), 8L << 30);
    XenDomain pv = Xen.on(debian.host("blade1")).create(Vms.pv("vm1", 1, "xenbr1"));
    assertThatThrownBy(() -> pv.migrate(HostName.of("blade2")).call()).isInstanceOfSatisfying(MigrationFailedException.class,
        e -> {
          assertThat(e.errorLines()).contains("xc: error: Failed to enable logdirty: 95,22,0 (22 = Invalid argument): "
              + "Internal error", "Migration failed, failed to suspend at sender.");
          assertThat(e.hint()).hasValueSatisfying(h -> assertThat(h).contains("shadow paging"));
        });
    assertThat(debian.xen("blade1").domain(VM1)).isPresent();
    assertThat(debian.xen("blade2").domain(VM1)).isEmpty();
  }

  @Test
  void anUnreachableTargetFailsWhileConnecting() {
    chassis.disconnect("blade2");
    assertThatThrownBy(() -> vm1.migrate(HostName.of("blade2")).call()).isInstanceOfSatisfying(MigrationFailedException.class,
        e -> {
          assertThat(e.lastStage()).isEqualTo(Stage.CONNECTING);
          assertThat(e.errorLines()).contains("ssh: connect to host blade2 port 22: Connection timed out");
          assertThat(e.hint()).hasValueSatisfying(h -> assertThat(h).contains("could not reach blade2 over ssh"));
        });
    assertThat(on("blade1")).hasValueSatisfying(d -> assertThat(d.state()).containsExactly(DomainState.BLOCKED));
    assertThat(on("blade2")).isEmpty();
  }

  @Test
  void aTargetWithoutTheBridgeRefusesTheDomainAndTheSourceResumes() {
    chassis.kernel("blade2").net().delete(InterfaceName.of("xenbr1"));
    assertThatThrownBy(() -> vm1.migrate(HostName.of("blade2")).call()).isInstanceOfSatisfying(MigrationFailedException.class,
        e -> assertThat(e.errorLines()).contains("libxl: error: script: Could not find bridge device xenbr1",
            "Migration failed, resuming at sender."));
    assertThat(on("blade1")).hasValueSatisfying(d -> assertThat(d.state()).containsExactly(DomainState.BLOCKED));
    assertThat(chassis.xen("blade2").domains()).hasSize(1);
    assertThat(openCount("blade2")).isZero();
  }

  @Test
  void aFaultOnTheTargetsRunnerLandsAtTheReceiver() {
    RecordingRunner target = RecordingRunner.wrapping(chassis.kernel("blade2").runner());
    chassis.decorate("blade2", r -> target);
    target.on("xl", "migrate-receive").fault(Fault.exit(1, "xl: fatal error: cannot init xl context")).once();

    assertThatThrownBy(() -> vm1.migrate(HostName.of("blade2")).call()).isInstanceOfSatisfying(MigrationFailedException.class,
        e -> assertThat(e.lastStage()).isLessThan(Stage.STARTING));
    assertThat(target.commands()).extracting(Command::argv).containsExactly(List.of("xl", "migrate-receive"));
    assertThat(on("blade1")).isPresent();

    // the next one goes through
    vm1.migrate(HostName.of("blade2")).call();
    assertThat(on("blade2")).isPresent();
  }

  @Test
  void faultsAtEachStageLeaveTheDomainWhereXlLeavesIt() {
    SimulatedXen blade1 = chassis.xen("blade1");

    blade1.injectMigrationFault(SimulatedXen.MigrationFault.SUSPEND_FAILS);
    assertThatThrownBy(() -> vm1.migrate(HostName.of("blade2")).call()).isInstanceOfSatisfying(MigrationFailedException.class,
        e -> assertThat(e.errorLines()).contains("Migration failed, failed to suspend at sender."));
    assertThat(on("blade1")).isPresent();
    assertThat(on("blade2")).isEmpty();

    blade1.injectMigrationFault(SimulatedXen.MigrationFault.STREAM_BROKEN);
    assertThatThrownBy(() -> vm1.migrate(HostName.of("blade2")).call()).isInstanceOfSatisfying(MigrationFailedException.class,
        e -> assertThat(e.lastStage()).isEqualTo(Stage.RECEIVING));
    assertThat(on("blade1")).hasValueSatisfying(d -> assertThat(d.state()).containsExactly(DomainState.BLOCKED));
    assertThat(chassis.xen("blade2").domains()).hasSize(1);

    blade1.injectMigrationFault(SimulatedXen.MigrationFault.TARGET_STARTUP_FAILS);
    assertThatThrownBy(() -> vm1.migrate(HostName.of("blade2")).call()).isInstanceOfSatisfying(MigrationFailedException.class,
        e -> {
          assertThat(e.lastStage()).isEqualTo(Stage.STARTING);
          assertThat(e.errorLines()).contains("Migration failed due to problems at target.");
        });
    assertThat(on("blade1")).hasValueSatisfying(d -> assertThat(d.state()).containsExactly(DomainState.BLOCKED));
    assertThat(chassis.xen("blade2").domains()).hasSize(1);
    assertThat(openCount("blade2")).isZero();

    blade1.injectMigrationFault(SimulatedXen.MigrationFault.FINAL_HANDSHAKE_LOST);
    assertThatThrownBy(() -> vm1.migrate(HostName.of("blade2")).call()).isInstanceOfSatisfying(MigrationFailedException.class,
        e -> assertThat(e.errorLines()).contains("** Migration failed during final handshake **"));
    assertThat(on("blade2")).hasValueSatisfying(d -> assertThat(d.state()).containsExactly(DomainState.BLOCKED));
    assertThat(chassis.xen("blade1").domain(DomainName.of("vm1--migratedaway")))
        .hasValueSatisfying(d -> assertThat(d.state()).containsExactly(DomainState.SHUTDOWN));
    assertThat(chassis.whereIs(MAC)).containsExactly(HostName.of("blade2"));
  }

  @Test
  void xmMigratesToARelocationServerThatAllowsTheSource() {
    SimulatedChassis xm = SimulatedChassis.builder().blades(3).toolstack(Toolstack.Kind.XM).build(dir.resolve("xm"));
    xm.provisionLun(MultipathAlias.of("vm1"), 8L << 30);
    Xen blade1 = Xen.on(xm.host("blade1"));
    assertThat(blade1.toolstack().kind()).isEqualTo(Toolstack.Kind.XM);
    XenDomain vm = blade1.create(Vms.vm("vm1", 1, "xenbr1"));
    assertThat(vm.details().nics()).hasSize(1);

    vm.migrate(HostName.of("blade2")).call();
    assertThat(xm.xen("blade2").domain(VM1)).isPresent();
    assertThat(xm.xen("blade1").domain(VM1)).isEmpty();

    // blade3's xend does not allow blade2 once its allow-list names only blade1
    Path sxp = xm.host("blade3").path("/etc/xen/xend-config.sxp");
    dev.midplane.xen.sxp.XendConfig.read(sxp).withRelocationHostsAllow(
        dev.midplane.xen.sxp.RelocationAllowList.exactHosts(List.of(HostName.of("blade1")))).write(sxp);
    XenDomain moved = Xen.on(xm.host("blade2")).domain(VM1);
    assertThatThrownBy(() -> moved.migrate(HostName.of("blade3")).call()).isInstanceOfSatisfying(MigrationFailedException.class,
        e -> assertThat(e.errorLines()).contains("Error: (104, 'Connection reset by peer')"));
    assertThat(xm.xen("blade2").domain(VM1)).isPresent();
  }
}
