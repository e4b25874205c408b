package dev.midplane.multipath.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.testkit.Fixtures;
import dev.midplane.core.testkit.RequiresReal;
import dev.midplane.multipath.RealMultipathT;
import dev.midplane.multipath.config.Keywords.Context;
import dev.midplane.multipath.config.Keywords.Status;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The catalogue, the value rules, the regex check and the linter agree with the real
 * {@code multipath -t} of this machine (multipath-tools 0.9.4 in CI), run in a private mount
 * namespace so the machine's own configuration is never read or touched.
 */
@RequiresReal(tools = {"multipath", "unshare", "mount", "sh"}, root = true)
class MultipathConfigRealToolTest {
  /** Keywords of every section, plus some that are valid nowhere in 0.9.4. */
  private static final List<String> CANDIDATES;

  static {
    Set<String> all = new TreeSet<>();
    for (Context c : Context.values()) {
      all.addAll(Keywords.valid(c));
      all.addAll(Keywords.ignored(c));
    }
    all.addAll(List.of("selector", "minio", "pg_prio_calc", "udev_dir", "daemon", "auto_resize", "detect_pgpolicy",
        "hwtable_regex_match", "bogus_keyword"));
    CANDIDATES = List.copyOf(all);
  }

  private static String sample(String keyword) {
    return switch (keyword) {
      case "uid_attrs" -> "\"sd:ID_SERIAL\"";
      case "wwid", "devnode", "property", "protocol", "vendor", "product", "revision", "product_blacklist" -> "\"x\"";
      default -> "1";
    };
  }

  /** Opening lines for a context, and how many closing braces it needs. */
  private static List<String> path(Context c) {
    return switch (c) {
      case ROOT -> List.of();
      case DEFAULTS -> List.of("defaults {");
      case BLACKLIST -> List.of("blacklist {");
      case BLACKLIST_EXCEPTIONS -> List.of("blacklist_exceptions {");
      case BLACKLIST_DEVICE -> List.of("blacklist {", "device {");
      case DEVICES -> List.of("devices {");
      case DEVICE -> List.of("devices {", "device {");
      case MULTIPATHS -> List.of("multipaths {");
      case MULTIPATH -> List.of("multipaths {", "multipath {");
      case OVERRIDES -> List.of("overrides {");
      case PROTOCOL -> List.of("overrides {", "protocol {");
    };
  }

  private static Status toolVerdict(String message) {
    if (message.contains("invalid keyword")) {
      return Status.INVALID;
    }
    if (message.contains("ignoring deprecated option")) {
      return Status.IGNORED;
    }
    if (message.contains("is deprecated")) {
      return Status.DEPRECATED;
    }
    return Status.VALID;
  }

  @Test
  void theKeywordCatalogueIsThatOfTheRealTool() {
    for (Context context : EnumSet.allOf(Context.class)) {
      List<String> lines = new ArrayList<>(path(context));
      Map<Integer, String> keywordAt = new LinkedHashMap<>();
      for (String k : CANDIDATES) {
        if (context == Context.OVERRIDES && k.equals("protocol")) {
          continue; // a sub-section there
        }
        lines.add(k + " " + sample(k));
        keywordAt.put(lines.size(), k);
      }
      path(context).forEach(x -> lines.add("}"));
      RealMultipathT.Result real = RealMultipathT.run(String.join("\n", lines) + "\n");

      Map<String, Status> expected = new LinkedHashMap<>();
      Map<String, Status> actual = new LinkedHashMap<>();
      keywordAt.values().forEach(k -> {
        expected.put(k, Keywords.status(context, k));
        actual.put(k, Status.VALID);
      });
      for (String m : real.messages()) {
        java.util.regex.Matcher x = java.util.regex.Pattern.compile("line (\\d+)").matcher(m);
        if (x.find() && keywordAt.containsKey(Integer.parseInt(x.group(1)))) {
          String k = keywordAt.get(Integer.parseInt(x.group(1)));
          Status v = toolVerdict(m);
          if (v != Status.VALID) {
            actual.put(k, v);
          }
        }
      }
      assertThat(actual).as("keyword verdicts in the %s section", context.label).isEqualTo(expected);
    }
  }

  /** Per checked keyword: values the tool accepts, then values it rejects. */
  private static final Map<String, List<List<String>>> VALUES = new LinkedHashMap<>();

  static {
    for (String yesNo : List.of("reassign_maps", "queue_without_daemon", "allow_usb_devices", "flush_on_last_del",
        "user_friendly_names", "retain_attached_hw_handler", "detect_prio", "detect_checker", "force_sync",
        "strict_timing", "deferred_remove", "skip_kpartx", "all_tg_pt", "recheck_wwid")) {
      VALUES.put(yesNo, List.of(List.of("yes", "no", "1", "0"), List.of("maybe", "on", "off", "\"\"")));
    }
    for (String noOrInt : List.of("ghost_delay", "delay_watch_checks", "delay_wait_checks", "san_path_err_threshold",
        "san_path_err_forget_rate", "san_path_err_recovery_time")) {
      VALUES.put(noOrInt, List.of(List.of("no", "0", "5"), List.of("yes", "off", "x")));
    }
    VALUES.put("find_multipaths", List.of(List.of("no", "yes", "off", "on", "strict", "greedy", "smart", "1", "0"), List.of("bogus", "2")));
    VALUES.put("failback", List.of(List.of("immediate", "manual", "followover", "15", "0"), List.of("soon", "-1")));
    VALUES.put("no_path_retry", List.of(List.of("queue", "fail", "0", "12"), List.of("sometimes", "-1")));
    VALUES.put("path_grouping_policy", List.of(List.of("failover", "multibus", "group_by_serial", "group_by_prio", "group_by_node_name"), List.of("1", "group_by_moon")));
    VALUES.put("rr_weight", List.of(List.of("uniform", "priorities"), List.of("1", "heavy")));
    VALUES.put("log_checker_err", List.of(List.of("always", "once"), List.of("yes", "1")));
    VALUES.put("fast_io_fail_tmo", List.of(List.of("off", "0", "5"), List.of("no", "x")));
    VALUES.put("dev_loss_tmo", List.of(List.of("infinity", "30"), List.of("off", "x")));
    VALUES.put("max_fds", List.of(List.of("max", "8192"), List.of("no", "x")));
    VALUES.put("verbosity", List.of(List.of("0", "2"), List.of("x", "loud")));
    VALUES.put("polling_interval", List.of(List.of("5", "1"), List.of("-1", "x")));
    VALUES.put("features", List.of(List.of("\"0\"", "\"1 queue_if_no_path\"", "\"2 pg_init_retries 50\""), List.of("\"2 queue_if_no_path\"", "\"1\"", "x")));
    VALUES.put("path_selector", List.of(List.of("\"service-time 0\"", "\"round-robin 0\"", "\"queue-length 0\""), List.of("\"round-robin\"", "\"round-robin 1\"")));
  }

  @Test
  void theValueRulesAreThoseOfTheRealTool() {
    assertThat(VALUES.keySet()).containsAll(Keywords.checkedValues().stream().filter(k -> !k.equals("hardware_handler")).toList());
    int rounds = VALUES.values().stream().mapToInt(v -> v.get(0).size() + v.get(1).size()).max().orElseThrow();
    for (int round = 0; round < rounds; round++) {
      List<String> lines = new ArrayList<>(List.of("defaults {"));
      for (Map.Entry<String, List<List<String>>> e : VALUES.entrySet()) {
        List<String> all = new ArrayList<>(e.getValue().get(0));
        all.addAll(e.getValue().get(1));
        if (round < all.size()) {
          lines.add("\t" + e.getKey() + " " + all.get(round));
        }
      }
      lines.addAll(List.of("}", "devices {", "\tdevice {", "\t\tvendor \"A\"", "\t\tproduct \"B\"",
          "\t\thardware_handler " + List.of("\"1 alua\"", "\"0\"", "\"2 alua\"", "\"1\"", "\"x\"").get(round % 5), "\t}", "}"));
      assertAgrees(String.join("\n", lines) + "\n");
    }
  }

  /** The tool and the linter warn about the same lines, and about the same unlined problems. */
  private static void assertAgrees(String text) {
    RealMultipathT.Result real = RealMultipathT.run(text);
    ParsedConfig parsed = MultipathConfig.parseWithWarnings(text, "t");
    Set<Integer> ours = parsed.warnings().stream().filter(w -> !isUnlined(w)).map(ConfigWarning::line)
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(ours).as("lines warned about in\n%s\nreal: %s\nours: %s", text, real.messages(), parsed.warnings())
        .isEqualTo(real.lines());
    long realUnlined = real.messages().stream().filter(m -> !m.contains("line ") && !m.contains("error parsing config file")).count();
    long ourUnlined = parsed.warnings().stream().filter(MultipathConfigRealToolTest::isUnlined).count();
    assertThat(ourUnlined).as("unlined warnings in\n%s\nreal: %s", text, real.messages()).isEqualTo(realUnlined);
    assertThat(parsed.hasFatal()).as("fatal in\n%s\nreal: %s", text, real.messages())
        .isEqualTo(real.messages().stream().anyMatch(m -> m.contains("error parsing config file")));
  }

  /** multipath-tools reports these without a line number. */
  private static boolean isUnlined(ConfigWarning w) {
    return w.message().startsWith("device section without vendor or product")
        || w.message().startsWith("multipath section without wwid")
        || w.message().startsWith("second multipath section for wwid");
  }

  @Test
  void realFilesDrawTheSameWarnings() {
    assertAgrees(Fixtures.text(getClass(), "multipath-conf.txt"));
    assertAgrees(Fixtures.text(getClass(), "multipath-t.txt"));
    assertAgrees(Fixtures.text(getClass(), "handwritten-shapes.conf"));
    assertAgrees(String.join("\n",
        "defaults {", "  polling_interval 2", "  polling_interval 3", "  bogus_keyword 1", "  getuid_callout /bin/true",
        "  user_friendly_names maybe", "  bindings_file /etc/multipath/b", "}",
        "defaults {", "  verbosity 2", "}",
        "blacklist {", "  wwid \"a)\"", "  alias vm1", "}",
        "devices {", "  device {", "    vendor \"X\"", "  }", "}",
        "multipaths {", "  multipath {", "    alias x", "  }", "  multipath {", "    wwid 1a", "  }",
        "  multipath {", "    wwid 1a", "  }", "}", ""));
  }

  @Test
  void regularExpressionsGlibcRefusesAreFatal() {
    for (String re : List.of("(a", "a)", "[[:alpha:]]x{", "a{2", "*a", "a**", "a|*b", "(*b)", "[[:bogus:]]", "[]a]",
        "a{1,2}", "{1}", "a{2,1}", "()", "a||b", "^*", "+a", "[a", "[z-a]", "a\\", "^(sd[a-z]|dasd[a-z]|nvme[0-9])",
        ".*", "^eui\\.00$", "[^]x]", "[[.a.]]", "a{,2}", "x$*")) {
      assertAgrees("blacklist {\n\twwid \"" + re + "\"\n}\n");
    }
    // read-time compilation covers the blacklists' device entries, not the devices section
    assertAgrees("blacklist {\n\tdevice {\n\t\tvendor \"(A\"\n\t\tproduct \"B\"\n\t}\n}\n");
    assertAgrees("devices {\n\tdevice {\n\t\tvendor \"(A\"\n\t\tproduct \"[B\"\n\t}\n}\n");
  }

  @Provide
  Arbitrary<String> regexes() {
    return Arbitraries.strings().withChars("a()[]{}*+?|^$\\.,-:1").ofMinLength(1).ofMaxLength(6);
  }

  @Property(tries = 60)
  void randomRegularExpressionsAgreeWithGlibc(@ForAll("regexes") String re) {
    assertAgrees("blacklist_exceptions {\n\twwid \"" + re.replace("\"", "") + "\"\n}\n");
  }

  @Provide
  Arbitrary<String> defaultsSections() {
    List<String> keys = new ArrayList<>(VALUES.keySet());
    Arbitrary<String> line = Arbitraries.of(keys).flatMap(k -> {
      List<String> all = new ArrayList<>(VALUES.get(k).get(0));
      all.addAll(VALUES.get(k).get(1));
      return Arbitraries.of(all).map(v -> "\t" + k + " " + v);
    });
    Arbitrary<String> extra = Arbitraries.of("\tbogus 1", "\tvendor \"x\"", "\t# comment", "\tpg_timeout 5", "\twwids_file /x/y");
    return Arbitraries.oneOf(line, line, line, extra).list().ofMaxSize(10)
        .map(ls -> "defaults {\n" + String.join("\n", ls) + (ls.isEmpty() ? "" : "\n") + "}\n");
  }

  @Property(tries = 25)
  void randomDefaultsAgreeWithTheRealTool(@ForAll("defaultsSections") String text) {
    assertAgrees(text);
  }
}
