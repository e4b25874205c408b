package dev.midplane.sysfs;

import dev.midplane.core.InvalidNameException;
import java.util.Objects;

/**
 * The kernel name of a block device: {@code sda}, {@code sdaaz}, {@code dm-3}, {@code vda},
 * {@code nvme0n1}, {@code loop0}. It becomes part of sysfs paths ({@code /sys/block/<name>}), so it
 * is validated: 1–31 characters (the kernel's {@code DISK_NAME_LEN} is 32 with the NUL), ASCII
 * letters, digits, {@code _ . : -}, starting with a letter or digit. Never {@code .} or
 * {@code ..}, never a slash.
 */
public final class BlockDeviceName implements Comparable<BlockDeviceName> {
  /** {@code DISK_NAME_LEN} minus the terminating NUL. */
  public static final int MAX_LENGTH = 31;
  private static final String TYPE = "block device name";
  private final String value;

  private BlockDeviceName(String value) {
    this.value = value;
  }

  /** Validates and wraps; throws {@link InvalidNameException} naming the broken rule. */
  public static BlockDeviceName of(String value) {
    if (value == null) {
      throw new InvalidNameException(TYPE, null, "must not be null");
    }
    if (value.isEmpty() || value.length() > MAX_LENGTH) {
      throw new InvalidNameException(TYPE, value, "length must be 1–" + MAX_LENGTH + " characters, was " + value.length());
    }
    char first = value.charAt(0);
    if (!isAlnum(first)) {
      throw new InvalidNameException(TYPE, value, "must start with a letter or digit");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!isAlnum(c) && c != '_' && c != '.' && c != ':' && c != '-') {
        throw new InvalidNameException(TYPE, value,
            "only ASCII letters, digits, '_', '.', ':' and '-' are allowed; found "
                + InvalidNameException.escape(String.valueOf(c)) + " at position " + i);
      }
    }
    return new BlockDeviceName(value);
  }

  /** True when {@link #of} would accept the value. */
  public static boolean isValid(String value) {
    try {
      of(value);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean isAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  /** True for SCSI disk names ({@code sd} followed by letters). */
  public boolean isScsiDisk() {
    if (value.length() < 3 || !value.startsWith("sd")) {
      return false;
    }
    for (int i = 2; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 'a' || c > 'z') {
        return false;
      }
    }
    return true;
  }

  /** True for device-mapper devices ({@code dm-N}). */
  public boolean isDeviceMapper() {
    return value.startsWith("dm-") && value.length() > 3 && value.substring(3).chars().allMatch(Character::isDigit);
  }

  public String value() {
    return value;
  }

  @Override
  public int compareTo(BlockDeviceName o) {
    return value.compareTo(o.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlockDeviceName other && other.value.equals(value);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
