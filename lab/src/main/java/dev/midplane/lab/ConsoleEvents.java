package dev.midplane.lab;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the guest announced on its serial console, parsed from the console text: the lines the
 * guest's {@code /init} writes with the {@code midplane-lab:} prefix (boot stages with the guest's
 * uptime, the sshd host key, failures), and QEMU's own complaint when the forwarded port was taken.
 * Everything else on the console (firmware, kernel messages) is ignored; so is a last line without
 * its newline, which is still being written. A marker line that does not follow the format is an
 * error with its line number: the host key must never be taken from a garbled line.
 *
 * @param stages boot stages in order, each with the guest uptime in seconds
 * @param hostKey the host key as {@code <type> <base64>}, once announced
 * @param failures what the guest said it could not do
 * @param portTaken whether QEMU could not forward the requested host port
 */
record ConsoleEvents(Map<String, Double> stages, Optional<String> hostKey, List<String> failures, boolean portTaken) {
  static final String PREFIX = "midplane-lab: ";
  private static final Pattern STAGE = Pattern.compile("stage ([a-z][a-z0-9-]*) ([0-9]+\\.[0-9]+)");
  private static final Pattern KEY = Pattern.compile("host-key ([a-z0-9][a-z0-9@.-]*) ([A-Za-z0-9+/]+={0,2})");

  ConsoleEvents {
    stages = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stages));
    failures = List.copyOf(failures);
  }

  /** Whether the guest reached {@code stage}. */
  boolean reached(String stage) {
    return stages.containsKey(stage);
  }

  static ConsoleEvents parse(String console) {
    Map<String, Double> stages = new LinkedHashMap<>();
    String hostKey = null;
    List<String> failures = new ArrayList<>();
    boolean portTaken = false;
    String complete = console.substring(0, console.lastIndexOf('\n') + 1);
    List<String> lines = complete.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).replace("\r", "");
      if (line.contains("Could not set up host forwarding rule")) {
        portTaken = true;
      }
      int at = line.indexOf(PREFIX);
      if (at < 0) {
        continue;
      }
      String event = line.substring(at + PREFIX.length()).strip();
      Matcher m;
      if ((m = STAGE.matcher(event)).matches()) {
        stages.putIfAbsent(m.group(1), Double.parseDouble(m.group(2)));
      } else if ((m = KEY.matcher(event)).matches()) {
        String key = m.group(1) + " " + m.group(2);
        checkKeyBlob(m.group(1), m.group(2), i + 1);
        if (hostKey != null && !hostKey.equals(key)) {
          throw new IllegalArgumentException("console line " + (i + 1) + ": a second, different host key");
        }
        hostKey = key;
      } else if (event.startsWith("failed ")) {
        failures.add(event.substring("failed ".length()));
      } else if (event.startsWith("lifetime ")) {
        failures.add(event);
      } else {
        throw new IllegalArgumentException("console line " + (i + 1) + ": not a lab event: " + event);
      }
    }
    return new ConsoleEvents(stages, Optional.ofNullable(hostKey), failures, portTaken);
  }

  /** The key blob must decode and name its own type first, as the SSH wire format has it. */
  private static void checkKeyBlob(String type, String base64, int line) {
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("console line " + line + ": host key is not base64", e);
    }
    ByteBuffer b = ByteBuffer.wrap(blob);
    if (blob.length < 4 || b.getInt() != type.length() || blob.length < 4 + type.length()
        || !new String(blob, 4, type.length(), StandardCharsets.US_ASCII).equals(type)) {
      throw new IllegalArgumentException("console line " + line + ": host key blob does not start with its type " + type);
    }
  }
}
