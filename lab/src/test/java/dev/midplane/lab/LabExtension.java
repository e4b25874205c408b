package dev.midplane.lab;

import dev.midplane.core.Host;
import dev.midplane.core.testkit.RealPrerequisites;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * One lab guest per test class: builds (or reuses) the image once per JVM, boots the guest when
 * the class first asks for it, and powers it off after the class's last test. Test methods and
 * lifecycle methods may take a {@link Guest}, a {@link Host} connected to it (shared by the
 * class), or just the {@link LabImage} (which boots nothing).
 *
 * <p>Where this machine cannot run the lab (no QEMU, packages or root; see
 * {@link ImageBuilder#missingPrerequisites()}) the class is skipped with the list, or fails with it
 * when {@code MIDPLANE_REQUIRE_REAL=1}. A failing test gets the tail of the guest's console
 * attached as a suppressed exception, with the path of the whole console. Timings of the image
 * build, the boot, each test and the power-off are appended to {@code <lab dir>/timings.txt}
 * (system property {@code midplane.lab.dir}, default {@code target/lab}).
 */
public final class LabExtension implements ExecutionCondition, BeforeAllCallback, ParameterResolver,
    BeforeTestExecutionCallback, AfterTestExecutionCallback, TestExecutionExceptionHandler,
    LifecycleMethodExecutionExceptionHandler {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LabExtension.class);
  private static final int CONSOLE_LINES = 60;

  /** The lab's output directory. */
  static Path labDir() {
    return Path.of(System.getProperty("midplane.lab.dir", "target/lab")).toAbsolutePath();
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    List<String> missing = missing(context);
    if (missing.isEmpty() || RealPrerequisites.required()) {
      return ConditionEvaluationResult.enabled("the lab can run here, or must (" + RealPrerequisites.REQUIRE_ENV + "=1)");
    }
    return ConditionEvaluationResult.disabled("the real-kernel lab is skipped, missing: " + String.join(", ", missing)
        + " (set " + RealPrerequisites.REQUIRE_ENV + "=1 to make this a failure)");
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    List<String> missing = missing(context);
    if (!missing.isEmpty()) {
      throw new AssertionError(RealPrerequisites.REQUIRE_ENV + "=1 but the real-kernel lab cannot run: missing "
          + String.join(", ", missing));
    }
  }

  private static List<String> missing(ExtensionContext context) {
    return root(context).getOrComputeIfAbsent("missing", k -> {
      List<String> m = new ArrayList<>();
      if (RealPrerequisites.findTool(QemuCommandLine.PROGRAM).isEmpty()) {
        m.add("tool '" + QemuCommandLine.PROGRAM + "' (Debian package qemu-system-x86)");
      }
      if (RealPrerequisites.findTool("bash").isEmpty()) {
        m.add("tool 'bash'");
      } else {
        m.addAll(builder().missingPrerequisites());
      }
      return List.copyOf(m);
    }, List.class);
  }

  private static ImageBuilder builder() {
    return ImageBuilder.inCache(ImageBuilder.defaultCache()).log(labDir().resolve("build-image.log"));
  }

  /** The image, built once per JVM; a failed build fails every lab class with the same evidence. */
  private static LabImage image(ExtensionContext context) {
    Object built = root(context).getOrComputeIfAbsent("image", k -> {
      try {
        LabImage image = builder().build();
        LabImage.BuildReport b = image.build();
        record(String.format(Locale.ROOT, "image-build %s %.1f s (kernel %s, downloaded %d, unpacked %d)",
            b.kind(), seconds(b.duration()), image.kernelRelease(), b.downloaded(), b.unpacked()));
        return image;
      } catch (RuntimeException e) {
        return e;
      }
    });
    if (built instanceof RuntimeException e) {
      throw new LabException("the lab image could not be built: " + e.getMessage(), null, e);
    }
    return (LabImage) built;
  }

  /**
   * The class's guest, booted when a test (or lifecycle method) first asks for it; a failed boot
   * is remembered, so the class's other tests fail at once with the same evidence.
   */
  private static Session session(ExtensionContext context) {
    ExtensionContext classContext = classContext(context);
    Object s = classContext.getStore(NS).getOrComputeIfAbsent(Session.class, k -> {
      String name = classContext.getRequiredTestClass().getSimpleName();
      try {
        Guest guest = Guest.boot(image(context)).workDirectory(labDir().resolve(name)).call();
        record(String.format(Locale.ROOT, "%s boot-to-sshd %.1f s (guest uptime at sshd %.2f s)", name,
            seconds(guest.bootToSsh()), guest.stages().getOrDefault("sshd", Double.NaN)));
        try {
          return new Session(name, guest, guest.connect());
        } catch (RuntimeException e) {
          guest.close();
          throw e;
        }
      } catch (RuntimeException e) {
        return new FailedBoot(e);
      }
    });
    if (s instanceof FailedBoot f) {
      throw new LabException("the lab guest of " + classContext.getRequiredTestClass().getSimpleName()
          + " could not be started: " + f.cause.getMessage(), null, f.cause);
    }
    return (Session) s;
  }

  /** A boot that failed, remembered in place of the session. */
  private record FailedBoot(RuntimeException cause) {}

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
      c = c.getParent().get();
    }
    return c;
  }

  private static ExtensionContext.Store root(ExtensionContext context) {
    return context.getRoot().getStore(NS);
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    Class<?> t = p.getParameter().getType();
    return t == Guest.class || t == Host.class || t == LabImage.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    Class<?> t = p.getParameter().getType();
    if (t == LabImage.class) {
      return image(e);
    }
    Session s = session(e);
    return t == Guest.class ? s.guest : s.host;
  }

  @Override
  public void beforeTestExecution(ExtensionContext context) {
    context.getStore(NS).put("start", System.nanoTime());
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    Long start = context.getStore(NS).get("start", Long.class);
    if (start != null) {
      record(String.format(Locale.ROOT, "%s#%s %.1f s%s", context.getRequiredTestClass().getSimpleName(),
          context.getRequiredTestMethod().getName(), (System.nanoTime() - start) / 1e9,
          context.getExecutionException().isPresent() ? " (failed)" : ""));
    }
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable t) throws Throwable {
    throw withConsole(context, t);
  }

  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable t) throws Throwable {
    throw withConsole(context, t);
  }

  @Override
  public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable t) throws Throwable {
    throw withConsole(context, t);
  }

  @Override
  public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable t) throws Throwable {
    throw withConsole(context, t);
  }

  private static Throwable withConsole(ExtensionContext context, Throwable t) {
    if (classContext(context).getStore(NS).get(Session.class) instanceof Session s) {
      t.addSuppressed(new GuestConsole(s.guest));
    }
    return t;
  }

  /** Appends one line to {@code timings.txt} and the log. */
  static void record(String line) {
    append("timings.txt", line);
    org.slf4j.LoggerFactory.getLogger(LabExtension.class).info("lab timing: {}", line);
  }

  /** Appends one line to a file of the lab directory. */
  static synchronized void append(String file, String line) {
    Path f = labDir().resolve(file);
    try {
      Files.createDirectories(f.getParent());
      Files.writeString(f, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A file of {@code host} as text, stripped. */
  static String read(Host host, String path) {
    try {
      return Files.readString(host.path(path)).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  /** The console of a guest, attached to a failure. */
  static final class GuestConsole extends Exception {
    private static final long serialVersionUID = 1L;

    GuestConsole(Guest guest) {
      super("guest console " + guest.console() + " (last " + CONSOLE_LINES + " lines):\n"
          + guest.consoleTail(CONSOLE_LINES), null, false, false);
    }
  }

  /** The guest of one test class and the host connected to it; closing powers the guest off. */
  private static final class Session implements ExtensionContext.Store.CloseableResource {
    private final String name;
    private final Guest guest;
    private final Host host;

    Session(String name, Guest guest, Host host) {
      this.name = name;
      this.guest = guest;
      this.host = host;
    }

    @Override
    public void close() {
      try {
        host.close();
      } finally {
        Guest.PowerOff off = guest.powerOff();
        record(String.format(Locale.ROOT, "%s poweroff %s %.1f s", name, off.how().name().toLowerCase(Locale.ROOT),
            seconds(off.took())));
      }
    }
  }
}
