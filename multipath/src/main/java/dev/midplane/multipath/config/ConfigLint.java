package dev.midplane.multipath.config;

import dev.midplane.multipath.config.Keywords.Context;
import dev.midplane.multipath.config.Keywords.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;

/** Finds what multipath-tools 0.9.4 would warn about in a config tree. */
final class ConfigLint {
  private final ToIntFunction<ConfigNode> lineOf;
  private final List<ConfigWarning> warnings = new ArrayList<>();
  private final Map<String, Integer> multipathWwids = new HashMap<>();

  private ConfigLint(ToIntFunction<ConfigNode> lineOf) {
    this.lineOf = lineOf;
  }

  static List<ConfigWarning> lint(List<ConfigNode> nodes, ToIntFunction<ConfigNode> lineOf) {
    ConfigLint l = new ConfigLint(lineOf);
    l.children(nodes, Context.ROOT, "");
    return List.copyOf(l.warnings);
  }

  private void warn(ConfigNode node, String where, String message) {
    warnings.add(new ConfigWarning(lineOf.applyAsInt(node), where, message, false));
  }

  private void fatal(ConfigNode node, String where, String message) {
    warnings.add(new ConfigWarning(lineOf.applyAsInt(node), where, message, true));
  }

  private void children(List<ConfigNode> nodes, Context context, String where) {
    Set<String> seenKeywords = new HashSet<>();
    Set<String> seenSections = new HashSet<>();
    for (ConfigNode node : nodes) {
      if (node instanceof Attribute a) {
        attribute(a, context, where, seenKeywords);
      } else if (node instanceof Section s) {
        section(s, context, where, seenSections);
      }
    }
  }

  private void attribute(Attribute a, Context context, String where, Set<String> seen) {
    String k = a.keyword();
    Status status = Keywords.status(context, k);
    switch (status) {
      case INVALID -> {
        warn(a, where, context == Context.ROOT
            ? "invalid keyword '" + k + "' at the top level: multipath-tools ignores it"
            : "invalid keyword '" + k + "' in the " + context.label + " section: multipath-tools ignores it");
        return;
      }
      case IGNORED -> {
        warn(a, where, "deprecated option '" + k + "': multipath-tools 0.9 ignores it");
        return;
      }
      case DEPRECATED -> warn(a, where, "'" + k + "' is deprecated and will be disabled in a future multipath-tools release");
      case VALID -> { }
      default -> throw new IllegalStateException(status.name());
    }
    if (!seen.add(k) && !Keywords.repeatable(context, k)) {
      warn(a, where, "duplicate keyword '" + k + "': multipath-tools warns and uses the last value");
    }
    Keywords.valueProblem(k, a.value()).ifPresent(p ->
        warn(a, where, "invalid value for " + k + " \"" + a.value() + "\": " + p + "; multipath-tools ignores it"));
    if (Keywords.isRegex(context, k)) {
      PosixRegex.problem(a.value()).ifPresent(p -> fatal(a, where,
          "regular expression \"" + a.value() + "\" does not compile (" + p + "): multipath-tools refuses the whole file"));
    }
  }

  private void section(Section s, Context context, String where, Set<String> seen) {
    String path = where.isEmpty() ? s.name() : where + "/" + s.name();
    Optional<Context> sub = Keywords.subsection(context, s.name());
    if (sub.isEmpty()) {
      warn(s, where, context == Context.ROOT
          ? "unknown section '" + s.name() + "': multipath-tools ignores its keyword and reads its contents at the top level"
          : "section '" + s.name() + "' is not allowed in the " + context.label + " section: multipath-tools ignores it");
      return;
    }
    if (!seen.add(s.name()) && !Keywords.repeatableSection(context, s.name())) {
      warn(s, where, "duplicate section '" + s.name() + "': multipath-tools warns (and merges it into the first)");
    }
    children(s.children(), sub.get(), path);
    switch (sub.get()) {
      case DEVICE -> {
        if (s.value("vendor").isEmpty() || s.value("product").isEmpty()) {
          warn(s, path, "device section without vendor or product: multipath-tools ignores it");
        }
      }
      case MULTIPATH -> {
        Optional<String> wwid = s.value("wwid");
        if (wwid.isEmpty()) {
          warn(s, path, "multipath section without wwid: multipath-tools ignores it");
        } else {
          Integer first = multipathWwids.putIfAbsent(wwid.get(), lineOf.applyAsInt(s));
          if (first != null) {
            warn(s, path, "second multipath section for wwid " + wwid.get()
                + (first > 0 ? " (first at line " + first + ")" : "") + ": multipath-tools merges them");
          }
        }
      }
      default -> { }
    }
  }
}
