package dev.midplane.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Helpers for tests whose "remote" processes run on this machine. */
final class Processes {
  private Processes() {}

  /** Polls (bounded) until process {@code pid} is gone or a zombie; true when it is. */
  static boolean gone(long pid) throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      if (!alive(pid)) {
        return true;
      }
      Thread.sleep(20);
    }
    return !alive(pid);
  }

  private static boolean alive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String rest = stat.substring(stat.lastIndexOf(')') + 2);
      return !rest.startsWith("Z");
    } catch (IOException e) {
      return false;
    }
  }

  /** Waits (bounded) for a file holding a pid to be written, and returns the pid. */
  static long awaitPidFile(Path file) throws InterruptedException, IOException {
    for (int i = 0; i < 1000; i++) {
      if (Files.exists(file)) {
        String s = Files.readString(file).strip();
        if (!s.isEmpty()) {
          return Long.parseLong(s);
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no pid written to " + file);
  }
}
