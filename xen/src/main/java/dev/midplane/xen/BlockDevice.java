package dev.midplane.xen;

import java.util.Optional;

/**
 * One row of {@code xl block-list} / {@code xm block-list}: a virtual block device of a domain.
 *
 * @param vdev the virtual device number ({@code 51712} is {@code xvda})
 * @param backendDomid the domain serving it (0 for dom0)
 * @param handle the frontend domain's id as the row shows it
 * @param state the XenBus state (4 = connected)
 * @param eventChannel the event channel, -1 when not connected
 * @param ringRef the grant reference of the ring, -1 when not connected
 * @param backendPath the backend's XenStore path
 */
public record BlockDevice(int vdev, int backendDomid, int handle, int state, int eventChannel, int ringRef, String backendPath) {
  /** XenBus state 4: the frontend and backend are connected. */
  public static final int CONNECTED = 4;

  /**
   * The Linux device name the number stands for: {@code xvda} (202:0), {@code xvdb1}, {@code sda},
   * {@code hdc}, or the extended form for more than 16 xvd disks; empty for other numbers.
   */
  public Optional<String> vdevName() {
    return vdevName(vdev);
  }

  /** See {@link #vdevName()}. */
  public static Optional<String> vdevName(int number) {
    if ((number & (1 << 28)) != 0) {
      int disk = (number >> 8) & 0xfffff;
      return Optional.of("xvd" + letters(disk) + partition(number & 0xff));
    }
    int major = number >> 8;
    int minor = number & 0xff;
    return switch (major) {
      case 202 -> Optional.of("xvd" + letters(minor >> 4) + partition(minor & 0xf));
      case 8 -> Optional.of("sd" + letters(minor >> 4) + partition(minor & 0xf));
      case 3 -> Optional.of("hd" + letters(minor >> 6) + partition(minor & 0x3f));
      case 22 -> Optional.of("hd" + letters(2 + (minor >> 6)) + partition(minor & 0x3f));
      default -> Optional.empty();
    };
  }

  private static String letters(int n) {
    return n < 26 ? String.valueOf((char) ('a' + n)) : letters(n / 26 - 1) + (char) ('a' + n % 26);
  }

  private static String partition(int p) {
    return p == 0 ? "" : Integer.toString(p);
  }

  public boolean isConnected() {
    return state == CONNECTED;
  }
}
