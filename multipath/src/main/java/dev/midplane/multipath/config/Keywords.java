package dev.midplane.multipath.config;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Which keyword is valid where, after multipath.conf(5) of multipath-tools 0.9.4 and checked
 * against that version's {@code multipath -t}; plus the value rules of the keywords whose invalid
 * values multipath-tools reports.
 */
final class Keywords {
  private Keywords() {}

  /** Where a node sits in the file. */
  enum Context {
    ROOT("top level"),
    DEFAULTS("defaults"),
    BLACKLIST("blacklist"),
    BLACKLIST_EXCEPTIONS("blacklist_exceptions"),
    BLACKLIST_DEVICE("blacklist device"),
    DEVICES("devices"),
    DEVICE("device"),
    MULTIPATHS("multipaths"),
    MULTIPATH("multipath"),
    OVERRIDES("overrides"),
    PROTOCOL("protocol");

    final String label;

    Context(String label) {
      this.label = label;
    }
  }

  enum Status {
    VALID,
    /** Accepted and ignored, with "ignoring deprecated option". */
    IGNORED,
    /** Still effective, with "is deprecated and will be disabled in a future release". */
    DEPRECATED,
    INVALID
  }

  private static final Map<Context, Map<String, Context>> SUBSECTIONS = new EnumMap<>(Context.class);
  private static final Map<Context, Set<String>> VALID = new EnumMap<>(Context.class);
  private static final Map<Context, Set<String>> IGNORED = new EnumMap<>(Context.class);
  private static final Set<String> DEPRECATED = Set.of("bindings_file", "wwids_file", "prkeys_file");
  /** Keywords that may appear more than once in their section without a warning. */
  private static final Map<Context, Set<String>> REPEATABLE = new EnumMap<>(Context.class);

  private static Set<String> words(String s) {
    return Set.of(s.trim().split("\\s+"));
  }

  private static Set<String> union(Set<String> a, String more) {
    return java.util.stream.Stream.concat(a.stream(), words(more).stream()).collect(Collectors.toUnmodifiableSet());
  }

  static {
    SUBSECTIONS.put(Context.ROOT, Map.of(
        "defaults", Context.DEFAULTS, "blacklist", Context.BLACKLIST,
        "blacklist_exceptions", Context.BLACKLIST_EXCEPTIONS, "devices", Context.DEVICES,
        "multipaths", Context.MULTIPATHS, "overrides", Context.OVERRIDES));
    SUBSECTIONS.put(Context.BLACKLIST, Map.of("device", Context.BLACKLIST_DEVICE));
    SUBSECTIONS.put(Context.BLACKLIST_EXCEPTIONS, Map.of("device", Context.BLACKLIST_DEVICE));
    SUBSECTIONS.put(Context.DEVICES, Map.of("device", Context.DEVICE));
    SUBSECTIONS.put(Context.MULTIPATHS, Map.of("multipath", Context.MULTIPATH));
    SUBSECTIONS.put(Context.OVERRIDES, Map.of("protocol", Context.PROTOCOL));

    // Shared by defaults, devices, overrides (and partly multipaths): how maps are built.
    Set<String> mapSettings = words("""
        path_selector path_grouping_policy prio prio_args features failback rr_min_io rr_min_io_rq
        rr_weight no_path_retry flush_on_last_del user_friendly_names max_sectors_kb deferred_remove
        san_path_err_threshold san_path_err_forget_rate san_path_err_recovery_time
        marginal_path_double_failed_time marginal_path_err_sample_time marginal_path_err_rate_threshold
        marginal_path_err_recheck_gap_time delay_watch_checks delay_wait_checks skip_kpartx ghost_delay""");
    Set<String> pathSettings = union(mapSettings, """
        uid_attribute path_checker checker alias_prefix fast_io_fail_tmo dev_loss_tmo eh_deadline all_tg_pt
        retain_attached_hw_handler detect_prio detect_checker recheck_wwid""");
    VALID.put(Context.ROOT, Set.of());
    VALID.put(Context.DEFAULTS, union(pathSettings, """
        verbosity polling_interval max_polling_interval reassign_maps uid_attrs max_fds queue_without_daemon
        allow_usb_devices bindings_file wwids_file prkeys_file log_checker_err reservation_key force_sync
        strict_timing partition_delimiter marginal_pathgroups find_multipaths find_multipaths_timeout
        uxsock_timeout retrigger_tries retrigger_delay missing_uev_wait_timeout disable_changed_wwids
        remove_retries enable_foreign checker_timeout mode uid gid"""));
    VALID.put(Context.BLACKLIST, words("devnode wwid property protocol"));
    VALID.put(Context.BLACKLIST_EXCEPTIONS, words("devnode wwid property protocol"));
    VALID.put(Context.BLACKLIST_DEVICE, words("vendor product"));
    VALID.put(Context.DEVICES, Set.of());
    VALID.put(Context.DEVICE, union(pathSettings, "vendor product revision product_blacklist vpd_vendor hardware_handler"));
    VALID.put(Context.MULTIPATHS, Set.of());
    VALID.put(Context.MULTIPATH, union(mapSettings, "wwid alias reservation_key mode uid gid"));
    VALID.put(Context.OVERRIDES, pathSettings);
    VALID.put(Context.PROTOCOL, words("type fast_io_fail_tmo dev_loss_tmo eh_deadline"));

    IGNORED.put(Context.DEFAULTS, words("multipath_dir getuid_callout config_dir pg_timeout"));
    IGNORED.put(Context.DEVICE, words("getuid_callout pg_timeout"));
    IGNORED.put(Context.OVERRIDES, words("getuid_callout"));
    IGNORED.put(Context.MULTIPATH, words("pg_timeout"));

    REPEATABLE.put(Context.BLACKLIST, words("devnode wwid property protocol"));
    REPEATABLE.put(Context.BLACKLIST_EXCEPTIONS, words("devnode wwid property protocol"));
  }

  /** The context of a sub-section named {@code name} inside {@code parent}, if it is a known one. */
  static Optional<Context> subsection(Context parent, String name) {
    return Optional.ofNullable(SUBSECTIONS.getOrDefault(parent, Map.of()).get(name));
  }

  /** Whether sub-sections of this name may repeat inside {@code parent}. */
  static boolean repeatableSection(Context parent, String name) {
    return parent != Context.ROOT;
  }

  static Status status(Context context, String keyword) {
    if (VALID.getOrDefault(context, Set.of()).contains(keyword)) {
      return DEPRECATED.contains(keyword) ? Status.DEPRECATED : Status.VALID;
    }
    if (IGNORED.getOrDefault(context, Set.of()).contains(keyword)) {
      return Status.IGNORED;
    }
    return Status.INVALID;
  }

  static boolean repeatable(Context context, String keyword) {
    return REPEATABLE.getOrDefault(context, Set.of()).contains(keyword);
  }

  /** Every keyword valid in {@code context}, sorted (for documentation and tests). */
  static List<String> valid(Context context) {
    return VALID.getOrDefault(context, Set.of()).stream().sorted().toList();
  }

  /** Every keyword accepted but ignored as deprecated in {@code context}, sorted. */
  static List<String> ignored(Context context) {
    return IGNORED.getOrDefault(context, Set.of()).stream().sorted().toList();
  }

  // ---- values ---------------------------------------------------------------------------------

  private static final Map<String, Function<String, Optional<String>>> VALUE_RULES = new HashMap<>();

  private static Function<String, Optional<String>> oneOf(String allowed) {
    Set<String> set = words(allowed);
    return v -> set.contains(v) ? Optional.empty()
        : Optional.of("must be one of " + Arrays.stream(allowed.trim().split("\\s+")).collect(Collectors.joining(", ")));
  }

  private static Function<String, Optional<String>> intOr(String words, long min) {
    Set<String> set = words.isEmpty() ? Set.of() : words(words);
    String alt = set.isEmpty() ? "" : " or " + String.join(", ", words.trim().split("\\s+"));
    return v -> set.contains(v) || (Tokens.isInteger(v) && Long.parseLong(v) >= min) ? Optional.empty()
        : Optional.of("must be an integer >= " + min + alt);
  }

  /** "N word…" where N counts the words after it (features, hardware_handler). */
  private static Optional<String> counted(String v) {
    String[] w = v.trim().isEmpty() ? new String[0] : v.trim().split("\\s+");
    if (w.length == 0 || !Tokens.isInteger(w[0])) {
      return Optional.of("must start with the number of words that follow, e.g. \"1 queue_if_no_path\"");
    }
    long n = Long.parseLong(w[0]);
    return n == w.length - 1 ? Optional.empty()
        : Optional.of("announces " + n + " word(s) but " + (w.length - 1) + " follow");
  }

  /** "selector N arg…" (path_selector). */
  private static Optional<String> selector(String v) {
    String[] w = v.trim().isEmpty() ? new String[0] : v.trim().split("\\s+");
    if (w.length < 2 || !Tokens.isInteger(w[1])) {
      return Optional.of("must be a selector name and its argument count, e.g. \"service-time 0\"");
    }
    long n = Long.parseLong(w[1]);
    return n == w.length - 2 ? Optional.empty()
        : Optional.of("announces " + n + " argument(s) but " + (w.length - 2) + " follow");
  }

  static {
    for (String k : words("""
        reassign_maps queue_without_daemon allow_usb_devices flush_on_last_del user_friendly_names
        retain_attached_hw_handler detect_prio detect_checker force_sync strict_timing deferred_remove
        skip_kpartx all_tg_pt recheck_wwid""")) {
      VALUE_RULES.put(k, oneOf("yes no 1 0"));
    }
    for (String k : words("""
        ghost_delay delay_watch_checks delay_wait_checks san_path_err_threshold san_path_err_forget_rate
        san_path_err_recovery_time""")) {
      VALUE_RULES.put(k, intOr("no", 0));
    }
    VALUE_RULES.put("find_multipaths", oneOf("no yes off on strict greedy smart 0 1"));
    VALUE_RULES.put("failback", intOr("immediate manual followover", 0));
    VALUE_RULES.put("no_path_retry", intOr("queue fail", 0));
    VALUE_RULES.put("path_grouping_policy", oneOf("failover multibus group_by_serial group_by_prio group_by_node_name"));
    VALUE_RULES.put("rr_weight", oneOf("uniform priorities"));
    VALUE_RULES.put("log_checker_err", oneOf("always once"));
    VALUE_RULES.put("fast_io_fail_tmo", intOr("off", 0));
    VALUE_RULES.put("dev_loss_tmo", intOr("infinity", 0));
    VALUE_RULES.put("max_fds", intOr("max", 0));
    VALUE_RULES.put("verbosity", intOr("", 0));
    VALUE_RULES.put("polling_interval", intOr("", 1));
    VALUE_RULES.put("features", Keywords::counted);
    VALUE_RULES.put("hardware_handler", Keywords::counted);
    VALUE_RULES.put("path_selector", Keywords::selector);
  }

  /** What is wrong with {@code value} for {@code keyword}, when the keyword has a checked rule. */
  static Optional<String> valueProblem(String keyword, String value) {
    Function<String, Optional<String>> rule = VALUE_RULES.get(keyword);
    return rule == null ? Optional.empty() : rule.apply(value);
  }

  /** The keywords whose values are checked (for tests). */
  static Set<String> checkedValues() {
    return Set.copyOf(VALUE_RULES.keySet());
  }

  /**
   * Keywords whose regular expressions multipath-tools compiles while reading the file, so that a
   * bad one makes it refuse the file: the blacklists' entries. (The {@code devices} section's
   * vendor/product expressions are compiled later, when paths are matched, and do not.)
   */
  static boolean isRegex(Context context, String keyword) {
    return context == Context.BLACKLIST || context == Context.BLACKLIST_EXCEPTIONS || context == Context.BLACKLIST_DEVICE;
  }
}
