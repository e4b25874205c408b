package dev.midplane.xen;

import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.names.DomainName;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a failed toolstack command into the exception that says what happened, from the texts the
 * toolstacks really print (the hotplug timeout and the missing libgcc_s were met in real Xen 4.17
 * runs; "invalid domain identifier" is xl's, "does not exist" xm's).
 */
final class ToolstackErrors {
  private static final Pattern HOTPLUG = Pattern.compile("killing execution of (\\S+) (\\w+) because of timeout");
  private static final Pattern XM_NO_DOMAIN = Pattern.compile("Error: Domain '([^']*)' does not exist");

  private ToolstackErrors() {}

  /** The lines of a failed command's output that state its errors. */
  static List<String> errorLines(String text) {
    List<String> out = new ArrayList<>();
    for (String l : text.split("\r?\n|\r")) {
      String s = l.strip();
      String lower = s.toLowerCase(java.util.Locale.ROOT);
      if (s.startsWith("libxl: error:") || s.startsWith("xc: error:") || s.startsWith("Error:") || lower.startsWith("error")
          || s.startsWith("Migration failed") || s.contains("invalid domain identifier") || s.contains("must be installed")
          || s.startsWith("xl: ") || lower.contains("failed") || s.startsWith("ssh:") || s.contains("xend is running")) {
        out.add(s);
      }
    }
    return out;
  }

  static boolean isDomainNotFound(String text) {
    return text.contains("is an invalid domain identifier") || XM_NO_DOMAIN.matcher(text).find();
  }

  /** The exception for a command that exited non-zero. */
  static RuntimeException failure(String host, CommandResult r, String operation, DomainName domain) {
    String text = r.stderr() + (r.stderr().endsWith("\n") || r.stderr().isEmpty() ? "" : "\n") + r.stdout();
    List<String> argv = r.command().argv();
    OptionalInt exit = OptionalInt.of(r.exitCode());
    if (domain != null && isDomainNotFound(text)) {
      return new DomainNotFoundException(domain.value(), host, argv, text);
    }
    List<String> lines = errorLines(text);
    Matcher hotplug = HOTPLUG.matcher(text);
    if (hotplug.find()) {
      return new HotplugFailedException(host, argv, exit, text, operation, lines, hotplug.group(1), hotplug.group(2));
    }
    if (text.contains("libgcc_s.so.1 must be installed for pthread_cancel to work")) {
      return new ToolstackAbortedException(host, argv, exit, text, operation, lines);
    }
    String hint = null;
    if (text.contains("xend is running")) {
      hint = "xl refuses to work while xend runs on this host: use the xm toolstack here, or stop xend";
    }
    return new ToolstackException(host, argv, exit, text, operation, lines, hint, null);
  }
}
