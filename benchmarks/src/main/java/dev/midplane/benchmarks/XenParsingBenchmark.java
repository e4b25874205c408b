package dev.midplane.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.midplane.xen.DomainDetails;
import dev.midplane.xen.DomainInfo;
import dev.midplane.xen.DomainState;
import dev.midplane.xen.ToolstackOutputs;
import dev.midplane.xen.config.Dialect;
import dev.midplane.xen.config.DomainConfig;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading what xl prints for a host with many domains, each next to the least the same text costs
 * in the same run:
 *
 * <ul>
 *   <li>{@code listLongTyped} parses {@code xl list -l} JSON into {@link DomainDetails} (disks and
 *       interfaces as validated specs); baseline {@code listLongJacksonTree}: Jackson's
 *       {@code readTree} of the same text, which any JSON reader pays.
 *   <li>{@code listTyped} parses {@code xl list}; baseline {@code listLineScan}: splitting the text
 *       into lines.
 *   <li>{@code configParse} parses a 20-setting xl config (and keeps each setting's text for an
 *       exact re-render); baseline {@code configLineScan}.
 * </ul>
 * The text is generated in xl's layout (the module's renderers, checked byte for byte against real
 * captures, and JSON with the field names of a real Xen 4.17 capture).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar XenParsing</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class XenParsingBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Param({"16", "256"})
  public int domains;

  String listLong;
  String list;
  String config;

  @Setup(Level.Trial)
  public void generate() throws Exception {
    ArrayNode all = JSON.createArrayNode();
    List<DomainInfo> rows = new ArrayList<>();
    for (int i = 0; i < domains; i++) {
      String name = "vm" + i;
      ObjectNode d = all.addObject();
      d.put("domid", i + 1);
      ObjectNode config = d.putObject("config");
      ObjectNode c = config.putObject("c_info");
      c.put("type", "pvh").put("name", name).put("uuid", String.format("25858948-e910-11f1-ba80-%012x", i));
      ObjectNode b = config.putObject("b_info");
      b.put("max_vcpus", 2).put("max_memkb", 1048576).put("target_memkb", 1048576)
          .put("kernel", "/boot/vmlinuz").put("cmdline", "console=hvc0 root=/dev/xvda1").put("ramdisk", "/boot/initrd.img");
      ArrayNode disks = config.putArray("disks");
      for (String suffix : List.of("", "-data")) {
        disks.addObject().put("pdev_path", "/dev/mapper/" + name + suffix).put("vdev", suffix.isEmpty() ? "xvda" : "xvdb")
            .put("format", "raw").put("readwrite", 1);
      }
      config.putArray("nics").addObject().put("devid", 0).put("mac", String.format("00:16:3e:00:%02x:%02x", i >> 8, i & 0xff))
          .put("bridge", "xenbr1").put("nictype", "vif");
      config.put("on_reboot", "restart").put("on_crash", "preserve");
      rows.add(DomainInfo.builder().rawName(name).id(i + 1).memoryMib(1024).vcpus(2).state(EnumSet.of(DomainState.BLOCKED))
          .cpuSeconds(12.5).build());
    }
    listLong = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(all) + "\n";
    list = ToolstackOutputs.renderList(rows);
    StringBuilder cfg = new StringBuilder("# generated\nname = \"db01\"\ntype = \"pvh\"\nmemory = 4096\nvcpus = 4\n");
    for (int i = 0; i < 14; i++) {
      cfg.append("setting_").append(i).append(" = \"value ").append(i).append("\"  # note\n");
    }
    cfg.append("disk = [ 'format=raw, vdev=xvda, access=rw, target=/dev/mapper/db01',\n")
        .append("         'vdev=xvdb, access=rw, target=/dev/mapper/db01-data' ]\n");
    config = cfg.toString();
    if (ToolstackOutputs.parseListLong(listLong, "bench").size() != domains
        || ToolstackOutputs.parseList(list, "bench").size() != domains
        || DomainConfig.parse(config, Dialect.XL).disks().size() != 2) {
      throw new IllegalStateException("the generated text does not read back");
    }
  }

  @Benchmark
  public List<DomainDetails> listLongTyped() {
    return ToolstackOutputs.parseListLong(listLong, "bench");
  }

  @Benchmark
  public JsonNode listLongJacksonTree() throws Exception {
    return JSON.readTree(listLong);
  }

  @Benchmark
  public List<DomainInfo> listTyped() {
    return ToolstackOutputs.parseList(list, "bench");
  }

  @Benchmark
  public long listLineScan() {
    return lineScan(list);
  }

  @Benchmark
  public DomainConfig configParse() {
    return DomainConfig.parse(config, Dialect.XL);
  }

  @Benchmark
  public long configLineScan() {
    return lineScan(config);
  }

  private static long lineScan(String text) {
    long sum = 0;
    for (String l : text.split("\n")) {
      sum += l.length();
    }
    return sum;
  }
}
