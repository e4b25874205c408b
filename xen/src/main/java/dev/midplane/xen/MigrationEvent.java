package dev.midplane.xen;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line a migration printed, understood: the {@link Stage} it marks, whether it reports an
 * error, transfer progress when it has numbers, and how long after the start it arrived. Lines
 * nobody recognises are kept as {@link Stage#OTHER}, never dropped.
 *
 * <p>The stages follow what {@code xl migrate} prints (real runs of Xen 4.17): the receiving xl,
 * reached over ssh, reports "Ready to receive", the sender saves the domain into the stream, the
 * receiver restores it, both agree on the transfer, the sender hands over permission to start,
 * the receiver starts the domain and "Migration successful." closes the run.
 */
public record MigrationEvent(Stage stage, String line, boolean error, OptionalLong done, OptionalLong total, Duration elapsed) {
  /** Where a migration is, in the order the stages happen. */
  public enum Stage {
    /** A line that marks no stage ({@code xc: info: XenStore: mfn ...}). */
    OTHER,
    /** The ssh transport speaks (host key notes, connection errors). */
    CONNECTING,
    /** The receiving toolstack is ready. */
    TARGET_READY,
    /** The sender writes the domain into the stream. */
    SENDING,
    /** The receiver reads the stream and rebuilds the domain. */
    RECEIVING,
    /** Memory pages are being copied (progress lines). */
    MEMORY,
    /** The receiver has the whole domain. */
    TRANSFER_COMPLETE,
    /** The sender let the receiver start the domain; it is suspended at the source now. */
    STARTING,
    /** The domain runs on the target. */
    STARTED,
    /** The toolstack reports success. */
    SUCCEEDED,
    /** The toolstack reports that the migration failed. */
    FAILED
  }

  private static final Pattern PROGRESS = Pattern.compile("^xc: progress: (.*?): (\\d+)/(\\d+)\\s+(\\d+)%\\s*$");

  public MigrationEvent {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(line, "line");
    Objects.requireNonNull(done, "done");
    Objects.requireNonNull(total, "total");
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /** Understands one line of {@code xl migrate} or {@code xm migrate} output. Pure; never fails. */
  public static MigrationEvent parse(String line, Duration elapsed) {
    String l = line.strip();
    Matcher m = PROGRESS.matcher(l);
    if (m.matches()) {
      return new MigrationEvent(Stage.MEMORY, line, false, OptionalLong.of(Long.parseLong(m.group(2))),
          OptionalLong.of(Long.parseLong(m.group(3))), elapsed);
    }
    return new MigrationEvent(stageOf(l), line, isError(l), OptionalLong.empty(), OptionalLong.empty(), elapsed);
  }

  private static Stage stageOf(String l) {
    if (l.startsWith("Migration successful")) {
      return Stage.SUCCEEDED;
    }
    if (l.startsWith("Migration failed") || l.startsWith("migration target: Failure")
        || l.startsWith("migration sender: Target reports startup failure")
        || l.startsWith("migration target (Incoming): Failure")) {
      return Stage.FAILED;
    }
    if (l.startsWith("migration target: Ready to receive")) {
      return Stage.TARGET_READY;
    }
    if (l.startsWith("Saving to migration stream") || l.startsWith("xc: info: Saving domain")) {
      return Stage.SENDING;
    }
    if (l.startsWith("Loading new save file <incoming migration stream>") || l.startsWith("Savefile contains")
        || l.startsWith("Parsing config from <saved>") || l.startsWith("xc: info: Found ")
        || l.startsWith("xc: info: Restoring domain")) {
      return Stage.RECEIVING;
    }
    if (l.startsWith("xc: info: Restore successful") || l.startsWith("migration target: Transfer complete")
        || l.startsWith("migration sender: Target has acknowledged transfer")) {
      return Stage.TRANSFER_COMPLETE;
    }
    if (l.startsWith("migration sender: Giving target permission to start")
        || l.startsWith("migration target: Got permission, starting domain")) {
      return Stage.STARTING;
    }
    // xl 4.17 prints "successsfully" (sic).
    if (l.startsWith("migration target: Domain started succ") || l.startsWith("migration sender: Target reports successful startup")) {
      return Stage.STARTED;
    }
    if (l.startsWith("ssh:") || l.startsWith("dbclient:") || l.startsWith("Warning: Permanently added")
        || l.contains("Host key verification failed")) {
      return Stage.CONNECTING;
    }
    return Stage.OTHER;
  }

  private static boolean isError(String l) {
    String lower = l.toLowerCase(java.util.Locale.ROOT);
    return l.startsWith("Migration failed") || l.startsWith("Error:") || lower.contains(": error:")
        || lower.startsWith("error:") || lower.contains("connection refused") || lower.contains("permission denied")
        || lower.contains("could not resolve hostname") || lower.contains("host key verification failed")
        || l.startsWith("ssh: ") || lower.contains("timed out") || l.startsWith("** Migration failed")
        || lower.contains("failure");
  }

  /** The progress as a fraction 0–1, when the line carries numbers. */
  public java.util.OptionalDouble fraction() {
    if (done.isEmpty() || total.isEmpty() || total.getAsLong() == 0) {
      return java.util.OptionalDouble.empty();
    }
    return java.util.OptionalDouble.of((double) done.getAsLong() / total.getAsLong());
  }

  @Override
  public String toString() {
    return "[" + elapsed.toMillis() + " ms] " + stage + (error ? " (error)" : "") + ": " + line;
  }
}
