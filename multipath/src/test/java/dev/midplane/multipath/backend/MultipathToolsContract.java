package dev.midplane.multipath.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.midplane.core.CommandFailedException;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.multipath.MapName;
import dev.midplane.multipath.config.MultipathConfig;
import dev.midplane.multipath.topology.MapTopology;
import dev.midplane.multipath.topology.MultipathListing;
import dev.midplane.multipath.topology.MultipathPath;
import dev.midplane.multipath.topology.PathState;
import dev.midplane.sysfs.BlockDeviceName;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link MultipathTools} contract: what every backend on every host must do with the
 * {@code multipath} and {@code multipathd} commands. Run against the command-line backend on the
 * simulated kernel with the simulated tools, and on the real kernel in the lab; a subclass supplies
 * the {@link BackendFixture}.
 */
public abstract class MultipathToolsContract {
  /** The host and LUN under test; called before each test (create it lazily). */
  protected abstract BackendFixture fixture();

  protected MultipathTools tools() {
    return MultipathTools.cli(fixture().host(), Duration.ofSeconds(60));
  }

  private MapName name() {
    return MapName.of(fixture().alias());
  }

  @BeforeEach
  void startingPoint() {
    fixture().reset();
  }

  @Test
  void theVersionIsThatOfMultipathTools() {
    ToolsVersion v = tools().version();
    assertThat(v.atLeast(new ToolsVersion(0, 4, 5))).as(v.toString()).isTrue();
  }

  @Test
  void multipathdAnswersWhenItRunsAndOnlyThen() {
    assertThat(tools().daemonRunning()).isEqualTo(fixture().daemonRunning());
  }

  @Test
  void theMapIsListedWithItsAliasWwidAndEveryPathUp() {
    MultipathListing l = tools().topology();
    MapTopology m = l.map(name()).orElseThrow(() -> new AssertionError("no " + name() + " in " + l));
    assertThat(m.wwid()).isEqualTo(fixture().lun());
    assertThat(m.hasAlias()).isTrue();
    assertThat(m.sysfsName()).hasValueSatisfying(s -> assertThat(s).startsWith("dm-"));
    assertThat(m.size()).isPresent();
    assertThat(m.paths()).hasSize(fixture().pathCount()).allSatisfy(p -> assertThat(p.isUp()).as(p.toString()).isTrue());
    assertThat(tools().mapNames()).contains(name());
  }

  @Test
  void oneMapByNameOrByWwidOrNone() {
    assertThat(tools().topology(name())).hasValueSatisfying(m -> assertThat(m.name()).isEqualTo(name()));
    assertThat(tools().topology(MapName.of(fixture().lun()))).hasValueSatisfying(m -> assertThat(m.name()).isEqualTo(name()));
    assertThat(tools().topology(MapName.of(MultipathAlias.of("midplane-no-such-map")))).isEmpty();
  }

  @Test
  void theEffectiveConfigurationLetsTheLunThroughUnderItsAlias() {
    MultipathConfig c = tools().effectiveConfig();
    assertThat(c.multipath(fixture().lun().value()).orElseThrow().alias()).contains(fixture().alias().value());
    assertThat(c.blacklist().wwids()).contains(".*");
    assertThat(c.blacklistExceptions().wwids()).isNotEmpty();
  }

  @Test
  void theDaemonSeesWhatMultipathSees() {
    assumeTrue(fixture().daemonRunning(), "multipathd does not run on this host");
    assertThat(tools().daemonTopology().map(name())).hasValueSatisfying(m -> assertThat(m.paths()).hasSize(fixture().pathCount()));
    MapTopology json = tools().daemonMaps().stream().filter(m -> m.name().equals(name())).findFirst().orElseThrow();
    assertThat(json.wwid()).isEqualTo(fixture().lun());
    Set<BlockDeviceName> devices = tools().topology(name()).orElseThrow().paths().stream()
        .flatMap(p -> p.device().stream()).collect(Collectors.toSet());
    assertThat(json.paths()).extracting(p -> p.device().orElseThrow()).containsExactlyInAnyOrderElementsOf(devices);
    assertThat(tools().daemonPaths().column("dev")).containsAll(devices.stream().map(BlockDeviceName::value).toList());
  }

  @Test
  void anOpenMapIsNotFlushedAndAClosedOneIsAndComesBack() throws Exception {
    try (AutoCloseable open = fixture().holdOpen()) {
      assertThatThrownBy(() -> tools().flushMap(name())).isInstanceOf(CommandFailedException.class)
          .hasMessageContaining("multipath -f " + name());
      assertThat(tools().topology(name())).as("still there").isPresent();
    }
    tools().flushMap(name());
    assertThat(tools().topology(name())).isEmpty();
    // with or without a daemon: multipathd 0.9.4 refuses `add map` for a map flushed under it
    tools().createMap(fixture().lun());
    assertThat(tools().topology(name())).hasValueSatisfying(m -> assertThat(m.paths()).hasSize(fixture().pathCount()));
  }

  /**
   * multipathd 0.9.4 looks a map up by the argument of {@code add map} after making it: given the
   * WWID of a LUN whose map is named by an alias, it makes the map and still replies {@code fail}.
   */
  @Test
  void addMapByTheWwidOfAnAliasedLunMakesTheMapAndRepliesFail() {
    assumeTrue(fixture().daemonRunning(), "multipathd does not run on this host");
    tools().flushMap(name());
    assertThat(tools().topology(name())).isEmpty();
    assertThatThrownBy(() -> tools().addMap(fixture().lun())).isInstanceOf(CommandFailedException.class)
        .hasMessageContaining("multipathd replied: fail");
    assertThat(tools().topology(name())).hasValueSatisfying(m -> assertThat(m.paths()).hasSize(fixture().pathCount()));
  }

  @Test
  void aFailedPathStaysFailedUntilReinstated() {
    assumeTrue(fixture().daemonRunning(), "multipathd does not run on this host");
    BlockDeviceName dev = tools().topology(name()).orElseThrow().paths().get(0).device().orElseThrow();
    tools().failPath(dev);
    assertThat(state(dev)).isEqualTo(PathState.FAILED);
    tools().reinstatePath(dev);
    assertThat(state(dev)).isEqualTo(PathState.ACTIVE);
  }

  private PathState state(BlockDeviceName dev) {
    List<MultipathPath> paths = tools().topology(name()).orElseThrow().paths();
    return paths.stream().filter(p -> p.device().equals(java.util.Optional.of(dev))).findFirst().orElseThrow().dmState();
  }

  @Test
  void resizingAMapWhoseLunDidNotGrowKeepsItsSize() {
    assumeTrue(fixture().daemonRunning(), "multipathd does not run on this host");
    String before = tools().topology(name()).orElseThrow().size().orElseThrow().text();
    tools().resizeMap(name());
    assertThat(tools().topology(name()).orElseThrow().size().orElseThrow().text()).isEqualTo(before);
  }

  @Test
  void daemonCommandsAboutAMapThatDoesNotExistFail() {
    assumeTrue(fixture().daemonRunning(), "multipathd does not run on this host");
    assertThatThrownBy(() -> tools().resizeMap(MapName.of(MultipathAlias.of("midplane-no-such-map"))))
        .isInstanceOf(CommandFailedException.class).hasMessageContaining("resize map midplane-no-such-map");
  }
}
