package dev.midplane.sysfs;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What to scan on a SCSI host: a channel, target and LUN, each a number or a wildcard. Written to
 * {@code /sys/class/scsi_host/hostN/scan} as three words, {@code -} for a wildcard:
 * {@link #ALL} is {@code - - -}, {@code ScanAddress.of(0, 1, 5)} is {@code 0 1 5}.
 */
public record ScanAddress(OptionalInt channel, OptionalInt target, OptionalLong lun) {
  /** Every channel, target and LUN: {@code - - -}. */
  public static final ScanAddress ALL = new ScanAddress(OptionalInt.empty(), OptionalInt.empty(), OptionalLong.empty());

  public ScanAddress {
    if (channel.isPresent() && channel.getAsInt() < 0 || target.isPresent() && target.getAsInt() < 0) {
      throw new IllegalArgumentException("channel and target must be >= 0");
    }
    if (lun.isPresent() && lun.getAsLong() < 0) {
      throw new IllegalArgumentException("LUN must be >= 0");
    }
  }

  /** One LUN: {@code C T L}. */
  public static ScanAddress of(int channel, int target, long lun) {
    return new ScanAddress(OptionalInt.of(channel), OptionalInt.of(target), OptionalLong.of(lun));
  }

  /** Every LUN of one target: {@code C T -}. */
  public static ScanAddress target(int channel, int target) {
    return new ScanAddress(OptionalInt.of(channel), OptionalInt.of(target), OptionalLong.empty());
  }

  /** The three words the kernel expects. */
  public String render() {
    return (channel.isPresent() ? Integer.toString(channel.getAsInt()) : "-") + " "
        + (target.isPresent() ? Integer.toString(target.getAsInt()) : "-") + " "
        + (lun.isPresent() ? Long.toString(lun.getAsLong()) : "-");
  }

  /** True when {@code c:t:l} is covered. */
  public boolean matches(int c, int t, long l) {
    return (channel.isEmpty() || channel.getAsInt() == c) && (target.isEmpty() || target.getAsInt() == t)
        && (lun.isEmpty() || lun.getAsLong() == l);
  }

  @Override
  public String toString() {
    return render();
  }
}
