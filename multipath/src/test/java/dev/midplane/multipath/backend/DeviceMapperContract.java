package dev.midplane.multipath.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.CommandFailedException;
import dev.midplane.core.NotFoundException;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.multipath.MapName;
import dev.midplane.multipath.dm.DmInfo;
import dev.midplane.multipath.dm.DmTarget;
import dev.midplane.multipath.dm.DmTreeNode;
import dev.midplane.multipath.dm.MultipathStatus;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link DeviceMapper} contract: what the {@code dmsetup} backend must do with the multipath
 * map of the {@link BackendFixture}'s LUN, on the simulated kernel and on the real one.
 */
public abstract class DeviceMapperContract {
  /** The host and LUN under test; called before each test (create it lazily). */
  protected abstract BackendFixture fixture();

  protected DeviceMapper dm() {
    return DeviceMapper.dmsetup(fixture().host(), Duration.ofSeconds(60));
  }

  private MapName name() {
    return MapName.of(fixture().alias());
  }

  private static final MapName MISSING = MapName.of(MultipathAlias.of("midplane-no-such-map"));

  @BeforeEach
  void startingPoint() {
    fixture().reset();
  }

  @Test
  void theMapIsALiveMultipathMapOfItsLun() {
    DmInfo info = dm().info(name()).orElseThrow();
    assertThat(info.live()).isTrue();
    assertThat(info.inactive()).isFalse();
    assertThat(info.suspended()).isFalse();
    assertThat(info.isOpen()).isFalse();
    assertThat(info.targets()).isEqualTo(1);
    assertThat(info.isMultipath()).isTrue();
    assertThat(info.uuid()).hasValue("mpath-" + fixture().lun().value());
    assertThat(dm().info(MISSING)).isEmpty();
  }

  @Test
  void tableStatusAndDependenciesNameEveryPath() {
    DmTarget table = dm().table(name());
    assertThat(table.type()).isEqualTo("multipath");
    assertThat(table.start()).isZero();
    assertThat(table.multipathTable().devices()).hasSize(fixture().pathCount());
    MultipathStatus status = dm().status(name());
    assertThat(status.paths()).hasSize(fixture().pathCount()).allSatisfy(p -> assertThat(p.active()).isTrue());
    assertThat(dm().dependencies(name())).containsExactlyInAnyOrderElementsOf(
        status.paths().stream().map(MultipathStatus.Path::device).toList());
    assertThat(dm().multipathMaps()).anySatisfy(d -> {
      assertThat(d.name()).isEqualTo(name().value());
      assertThat(d.number()).isEqualTo(Optional.of(dm().info(name()).orElseThrow().number()));
    });
    DmTreeNode node = dm().tree().stream().filter(n -> n.name().equals(Optional.of(name().value()))).findFirst()
        .orElseThrow(() -> new AssertionError("no " + name() + " in dmsetup ls --tree"));
    assertThat(node.children()).hasSize(fixture().pathCount());
  }

  @Test
  void aMissingMapIsNotFound() {
    assertThatThrownBy(() -> dm().table(MISSING)).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("midplane-no-such-map");
  }

  @Test
  void suspendAndResume() {
    dm().suspend(name());
    try {
      assertThat(dm().info(name()).orElseThrow().suspended()).isTrue();
    } finally {
      dm().resume(name());
    }
    assertThat(dm().info(name()).orElseThrow().suspended()).isFalse();
  }

  @Test
  void aReloadedTableWaitsInactiveUntilCleared() {
    DmTarget before = dm().table(name());
    dm().reload(name(), before);
    assertThat(dm().info(name()).orElseThrow().inactive()).isTrue();
    dm().clear(name());
    assertThat(dm().info(name()).orElseThrow().inactive()).isFalse();
    assertThat(dm().table(name())).isEqualTo(before);
  }

  @Test
  void anOpenMapIsNotRemovedAndAClosedOneIs() throws Exception {
    try (AutoCloseable open = fixture().holdOpen()) {
      assertThat(dm().info(name()).orElseThrow().openCount()).isEqualTo(1);
      assertThatThrownBy(() -> dm().remove(name())).isInstanceOf(CommandFailedException.class)
          .hasMessageContaining("dmsetup remove " + name());
      assertThat(dm().info(name())).isPresent();
    }
    dm().remove(name());
    assertThat(dm().info(name())).isEmpty();
  }
}
