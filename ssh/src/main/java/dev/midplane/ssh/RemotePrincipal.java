package dev.midplane.ssh;

import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;

/** A user or group of the remote host, by name (or by numeric id where only that is known). */
sealed interface RemotePrincipal extends UserPrincipal {
  /** A remote user. */
  record User(String name) implements RemotePrincipal {
    @Override
    public String getName() {
      return name;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** A remote group. */
  record Group(String name) implements RemotePrincipal, GroupPrincipal {
    @Override
    public String getName() {
      return name;
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
