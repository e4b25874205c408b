package dev.midplane.examples.cli;

import static dev.midplane.examples.cli.Cli.fields;
import static dev.midplane.examples.cli.Cli.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.LocalCommandRunner;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.Wwid;
import dev.midplane.core.testkit.RequiresReal;
import dev.midplane.examples.json.InventoryView;
import dev.midplane.sysfs.Sysfs;
import dev.midplane.sysfs.sim.SimulatedDeviceMapper;
import dev.midplane.sysfs.sim.SimulatedKernel;
import dev.midplane.sysfs.sim.SimulatedSan;
import dev.midplane.sysfs.sim.SimulatedScsi;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code midplane inventory} on a simulated blade's sysfs tree (a real directory: the command reads
 * it as it would read {@code /}), on this machine's real {@code /sys} cross-checked with
 * {@code ip}, and its JSON schema against the records and the output.
 */
class InventoryCommandTest {
  private static final long TEN_GIB = 10L << 30;

  @TempDir
  Path root;

  private Wwid lun;
  private List<String> lunPaths;

  /** A configured blade that sees one LUN over its four paths, grouped into the map vm-web01. */
  @BeforeEach
  void blade() {
    SimulatedSan san = SimulatedSan.create();
    SimulatedKernel kernel = SimulatedKernel.blade(root, HostName.of("blade1"), san);
    lun = san.createLun(TEN_GIB);
    san.present(lun, kernel.scsi().initiatorPorts());
    kernel.scsi().hbas().forEach(h -> Sysfs.on(kernel.host()).scan(h.hostNumber()));
    List<SimulatedScsi.Disk> disks = kernel.scsi().disks().stream().filter(d -> d.wwid().equals(lun)).toList();
    lunPaths = disks.stream().map(d -> d.name().value()).sorted().toList();
    StringBuilder params = new StringBuilder("0 0 1 1 service-time 0 " + disks.size() + " 1");
    disks.forEach(d -> params.append(' ').append(d.dev()).append(" 1"));
    kernel.deviceMapper().create("vm-web01", Optional.of(lun.dmUuid()),
        SimulatedDeviceMapper.Table.of(TEN_GIB / 512, "multipath", params.toString()));
  }

  private JsonNode inventory() {
    Cli.Run run = Cli.run("inventory", "--root", root.toString(), "--json");
    assertThat(run.code()).as(run.toString()).isZero();
    return run.json();
  }

  @Test
  void theJsonHasTheDocumentedShapeAndTheBladesFacts() {
    JsonNode inv = inventory();
    assertThat(fields(inv)).containsExactly("paths", "maps", "bonds", "bridges", "netDevices", "scsiHosts", "fcHosts");

    assertThat(inv.get("paths")).hasSize(4);
    for (JsonNode p : inv.get("paths")) {
      assertThat(fields(p)).containsExactly("device", "hctl", "wwid", "sizeBytes", "state");
      assertThat(p.get("wwid").asText()).isEqualTo(lun.value()).startsWith("36001405");
      assertThat(p.get("sizeBytes").asLong()).isEqualTo(TEN_GIB);
      assertThat(p.get("state").asText()).isEqualTo("running");
    }
    assertThat(inv.get("paths").findValuesAsText("device")).containsExactlyInAnyOrderElementsOf(lunPaths);

    JsonNode map = inv.get("maps").get(0);
    assertThat(fields(map)).containsExactly("name", "sysfsName", "wwid", "sizeBytes", "paths");
    assertThat(map.get("name").asText()).isEqualTo("vm-web01");
    assertThat(map.get("sysfsName").asText()).isEqualTo("dm-0");
    assertThat(map.get("wwid").asText()).isEqualTo(lun.value());
    assertThat(map.get("sizeBytes").asLong()).isEqualTo(TEN_GIB);
    assertThat(texts(map.get("paths"))).containsExactlyElementsOf(lunPaths);

    JsonNode bond0 = inv.get("bonds").get(0);
    assertThat(fields(bond0)).containsExactly("name", "mode", "activeSlave", "slaves", "miimonMs", "arpIntervalMs",
        "arpIpTargets");
    assertThat(bond0.get("name").asText()).isEqualTo("bond0");
    assertThat(bond0.get("mode").asText()).isEqualTo("active-backup");
    assertThat(bond0.get("activeSlave").asText()).isEqualTo("eth0");
    assertThat(texts(bond0.get("slaves"))).containsExactly("eth0", "eth1");
    assertThat(bond0.get("miimonMs").asInt()).isEqualTo(100);
    assertThat(bond0.get("arpIntervalMs").asInt()).isZero();
    assertThat(bond0.get("arpIpTargets")).isEmpty();
    assertThat(texts(inv.get("bonds").get(1).get("slaves"))).containsExactly("eth2", "eth3");

    Map<String, List<String>> bridges = new java.util.TreeMap<>();
    inv.get("bridges").forEach(b -> bridges.put(b.get("name").asText(), texts(b.get("ports"))));
    assertThat(bridges).containsEntry("xenbr0", List.of("bond0")).containsEntry("xenbr1", List.of("bond1"));

    JsonNode eth1 = findByName(inv.get("netDevices"), "eth1");
    assertThat(eth1.get("kind").asText()).isEqualTo("ethernet");
    assertThat(eth1.get("master").asText()).isEqualTo("bond0");
    assertThat(findByName(inv.get("netDevices"), "xenbr0").get("kind").asText()).isEqualTo("bridge");

    assertThat(inv.get("scsiHosts").findValuesAsText("fc")).containsExactly("false", "true", "true");
    assertThat(inv.get("fcHosts")).hasSize(2);
    for (JsonNode fc : inv.get("fcHosts")) {
      assertThat(fc.get("portName").asText()).matches("0x[0-9a-f]{16}");
      assertThat(fc.get("portState").asText()).isEqualTo("Online");
      assertThat(fc.get("remotePorts")).hasSize(2);
      assertThat(fc.get("remotePorts").findValuesAsText("roles")).allMatch(r -> r.contains("FCP Target"));
    }
  }

  @Test
  void theSchemaTheRecordsAndTheOutputAgree() throws IOException {
    JsonNode schema = Cli.read(InventoryCommand.schema());
    JsonNode inv = inventory();
    assertThat(texts(schema.get("required"))).containsExactlyElementsOf(components(InventoryView.class))
        .containsExactlyElementsOf(fields(inv));
    Map<String, Class<?>> items = Map.of("paths", InventoryView.PathView.class, "maps", InventoryView.MapView.class,
        "bonds", InventoryView.BondView.class, "bridges", InventoryView.BridgeView.class,
        "netDevices", InventoryView.NetDeviceView.class, "scsiHosts", InventoryView.ScsiHostView.class,
        "fcHosts", InventoryView.FcHostView.class);
    items.forEach((field, type) -> {
      JsonNode item = schema.get("properties").get(field).get("items");
      assertThat(texts(item.get("required"))).as(field).containsExactlyElementsOf(components(type));
      assertThat(Cli.fields(item.get("properties"))).as(field).containsExactlyElementsOf(components(type));
      assertThat(fields(inv.get(field).get(0))).as(field).containsExactlyElementsOf(components(type));
    });
    JsonNode rport = schema.get("properties").get("fcHosts").get("items").get("properties").get("remotePorts").get("items");
    assertThat(texts(rport.get("required"))).containsExactlyElementsOf(components(InventoryView.RemotePortView.class));
    assertThat(fields(inv.get("fcHosts").get(0).get("remotePorts").get(0)))
        .containsExactlyElementsOf(components(InventoryView.RemotePortView.class));
    JsonNode modes = schema.get("properties").get("bonds").get("items").get("properties").get("mode").get("enum");
    assertThat(texts(modes)).containsExactlyElementsOf(
        Arrays.stream(dev.midplane.sysfs.BondMode.values()).map(dev.midplane.sysfs.BondMode::option).toList());
  }

  @Test
  void theSchemaIsPrintedOnRequest() {
    Cli.Run run = Cli.run("inventory", "--schema");
    assertThat(run.code()).isZero();
    assertThat(run.json().get("title").asText()).isEqualTo("midplane inventory");
  }

  @Test
  void textForPeople() {
    Cli.Run run = Cli.run("inventory", "--root", root.toString());
    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.out()).contains("multipath maps (1)").contains("vm-web01").contains("10.0 GiB")
        .containsPattern("bond0 +active-backup +active eth0 +slaves eth0,eth1 +miimon 100 ms")
        .containsPattern("xenbr0 +ports bond0");
  }

  @Test
  void aRootWithoutSysIsBadInput() throws IOException {
    Path empty = Files.createDirectory(root.resolve("empty"));
    Cli.Run run = Cli.run("inventory", "--root", empty.toString(), "--json");
    assertThat(run.code()).isEqualTo(Midplane.BAD_INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("--root " + empty).contains("no sys/ directory");
  }

  /** The real /sys of this machine, read by the command, agrees with what `ip` says about the same devices. */
  @Test
  @RequiresReal(tools = "ip")
  void theRealSysfsAgreesWithIp() {
    Cli.Run run = Cli.run("inventory", "--root", "/", "--json");
    assertThat(run.code()).as(run.toString()).isZero();
    JsonNode inv = run.json();
    assertThat(fields(inv)).containsExactly("paths", "maps", "bonds", "bridges", "netDevices", "scsiHosts", "fcHosts");
    JsonNode ip = Cli.read(new LocalCommandRunner().run(Command.of("ip", "-j", "link", "show")).requireSuccess("local").stdout());
    List<String> fromIp = new ArrayList<>();
    ip.forEach(l -> fromIp.add(l.get("ifindex").asInt() + " " + l.get("ifname").asText() + " "
        + (l.has("address") && l.get("address").asText().length() == 17 ? l.get("address").asText() : "-")));
    List<String> fromSysfs = new ArrayList<>();
    inv.get("netDevices").forEach(d -> fromSysfs.add(d.get("ifindex").asInt() + " " + d.get("name").asText() + " "
        + (d.get("mac").isNull() ? "-" : d.get("mac").asText())));
    assertThat(fromSysfs).isNotEmpty().containsExactlyInAnyOrderElementsOf(fromIp);
  }

  private static JsonNode findByName(JsonNode array, String name) {
    for (JsonNode n : array) {
      if (n.get("name").asText().equals(name)) {
        return n;
      }
    }
    throw new AssertionError("no " + name + " in " + array);
  }

  private static List<String> components(Class<?> record) {
    return Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).collect(Collectors.toList());
  }
}
