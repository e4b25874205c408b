package dev.midplane.sysfs.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A temporary directory for one try of a property (jqwik has no {@code @TempDir}), removed on close. */
final class ScratchTree implements AutoCloseable {
  final Path dir;

  ScratchTree(String purpose) {
    try {
      dir = Files.createTempDirectory(purpose);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
