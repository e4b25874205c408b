package dev.midplane.examples.cli;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code midplane classpath}: the class path that holds the whole SDK — the jar the command line
 * runs from — for {@code jshell --class-path "$(./midplane classpath)"} and {@code java -cp}.
 */
@Command(name = "classpath", mixinStandardHelpOptions = true,
    description = {
        "Print the class path with the whole SDK on it, for jshell and java.",
        "  jshell --class-path \"$(./midplane classpath)\" examples/jshell/bond-failover.jsh"})
final class ClasspathCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().println(classPath());
    spec.commandLine().getOut().flush();
    return Midplane.OK;
  }

  /** The jar (or classes directory) this class was loaded from, plus the JVM's class path when run from classes. */
  static String classPath() {
    try {
      Path self = Path.of(Midplane.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (self.toString().endsWith(".jar")) {
        return self.toAbsolutePath().toString();
      }
      String jvm = System.getProperty("java.class.path");
      return jvm.isEmpty() ? self.toString() : jvm.contains(self.toString()) ? jvm : self + File.pathSeparator + jvm;
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the SDK's classes", e);
    }
  }
}
