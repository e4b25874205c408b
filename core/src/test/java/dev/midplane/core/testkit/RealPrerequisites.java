package dev.midplane.core.testkit;

import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.exec.LocalCommandRunner;
import java.io.File;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** The extension behind {@link RequiresReal}. */
public final class RealPrerequisites implements ExecutionCondition, BeforeAllCallback, BeforeEachCallback {
  /** Environment variable that turns a missing prerequisite from a skip into a failure. */
  public static final String REQUIRE_ENV = "MIDPLANE_REQUIRE_REAL";

  /** Kernel features probed for real (once per JVM). */
  public enum Feature {
    /** Network namespaces can be created and removed. */
    NETNS,
    /** A bridge can be created inside a namespace. */
    BRIDGE
  }

  private static final Map<Feature, Optional<String>> PROBES = new ConcurrentHashMap<>();
  private static final List<String> EXTRA_DIRS = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/local/sbin", "/usr/local/bin");

  public static boolean required() {
    return "1".equals(System.getenv(REQUIRE_ENV));
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    List<String> missing = missing(context);
    if (missing.isEmpty()) {
      return ConditionEvaluationResult.enabled("real prerequisites present");
    }
    if (required()) {
      return ConditionEvaluationResult.enabled("missing prerequisites will fail the test (" + REQUIRE_ENV + "=1)");
    }
    return ConditionEvaluationResult.disabled("skipped, missing: " + String.join(", ", missing)
        + " (set " + REQUIRE_ENV + "=1 to make this a failure)");
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    check(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    check(context);
  }

  private static void check(ExtensionContext context) {
    List<String> missing = missing(context);
    if (!missing.isEmpty()) {
      throw new AssertionError(REQUIRE_ENV + "=1 but the test's real prerequisites are missing: " + String.join(", ", missing));
    }
  }

  private static List<String> missing(ExtensionContext context) {
    Set<String> tools = new LinkedHashSet<>();
    boolean root = false;
    Set<Feature> features = new LinkedHashSet<>();
    for (AnnotatedElement e : elements(context)) {
      // Found directly or on a composed annotation (e.g. a lab's own @NeedsGuest).
      RequiresReal r = AnnotationSupport.findAnnotation(e, RequiresReal.class).orElse(null);
      if (r != null) {
        tools.addAll(List.of(r.tools()));
        root |= r.root();
        features.addAll(List.of(r.features()));
      }
    }
    List<String> missing = new ArrayList<>();
    for (String t : tools) {
      if (findTool(t).isEmpty()) {
        missing.add("tool '" + t + "'");
      }
    }
    if (root && !isRoot()) {
      missing.add("root");
    }
    if (missing.isEmpty()) {
      for (Feature f : features) {
        PROBES.computeIfAbsent(f, RealPrerequisites::probe).ifPresent(why -> missing.add("kernel feature " + f + " (" + why + ")"));
      }
    }
    return missing;
  }

  private static List<AnnotatedElement> elements(ExtensionContext context) {
    List<AnnotatedElement> list = new ArrayList<>();
    for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
      c.get().getElement().ifPresent(list::add);
    }
    return list;
  }

  /** Where {@code tool} is, searching PATH and the usual sbin directories. */
  public static Optional<Path> findTool(String tool) {
    Set<String> dirs = new LinkedHashSet<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    dirs.addAll(EXTRA_DIRS);
    for (String d : dirs) {
      if (d.isEmpty()) {
        continue;
      }
      Path p = Path.of(d, tool);
      if (Files.isExecutable(p) && !Files.isDirectory(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  public static boolean isRoot() {
    try {
      CommandResult r = new LocalCommandRunner().run(Command.builder("id", "-u").timeout(Duration.ofSeconds(10)).build());
      return r.isSuccess() && r.stdout().strip().equals("0");
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Empty when the feature works, else why not. */
  private static Optional<String> probe(Feature f) {
    if (findTool("ip").isEmpty()) {
      return Optional.of("no 'ip' to probe with");
    }
    try (NetNs ns = NetNs.create("probe")) {
      if (f == Feature.BRIDGE) {
        ns.execute("ip", "link", "add", "mpprobe0", "type", "bridge");
      }
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of(String.valueOf(e.getMessage()).lines().findFirst().orElse("failed"));
    }
  }
}
