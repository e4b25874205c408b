package dev.midplane.multipath.dm;

import dev.midplane.sysfs.DevNumber;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A device in {@code dmsetup ls --tree}: a device-mapper device (named) or an underlying block
 * device (unnamed, {@code (8:16)}), with the devices it is built on as children.
 */
public record DmTreeNode(Optional<String> name, DevNumber number, List<DmTreeNode> children) {
  public DmTreeNode {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(number, "number");
    children = List.copyOf(children);
  }
}
