package dev.midplane.lab;

import dev.midplane.core.files.AttributeWriteException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What became of one attribute write, as a comparable word: {@code ok}, or the errno's name. The
 * core {@link dev.midplane.core.files.Errno} does not list every errno the kernel answers (no
 * {@code ENOTEMPTY}); for those the name is read from the strerror text in the exception's message,
 * which both the SSH transport and the simulated kernel carry.
 */
final class Refusal {
  /** strerror texts of errnos core's Errno lacks, as glibc prints them. */
  private static final Map<String, String> MORE = new LinkedHashMap<>();

  static {
    MORE.put("Directory not empty", "ENOTEMPTY");
    MORE.put("Too many levels of symbolic links", "ELOOP");
    MORE.put("Bad address", "EFAULT");
    MORE.put("Device or resource busy", "EBUSY");
  }

  private Refusal() {}

  /** {@code ok} when {@code write} succeeds, else the errno name of its refusal. */
  static String of(Runnable write) {
    try {
      write.run();
      return "ok";
    } catch (AttributeWriteException e) {
      return name(e);
    }
  }

  static String name(AttributeWriteException e) {
    if (e.errno().isPresent()) {
      return e.errno().get().name();
    }
    String m = String.valueOf(e.getMessage());
    for (Map.Entry<String, String> x : MORE.entrySet()) {
      if (m.contains(x.getValue()) || m.toLowerCase(Locale.ROOT).contains(x.getKey().toLowerCase(Locale.ROOT))) {
        return x.getValue();
      }
    }
    return "unrecognised: " + m;
  }
}
