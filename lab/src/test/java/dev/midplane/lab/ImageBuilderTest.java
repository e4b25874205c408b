package dev.midplane.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.exec.Reply;
import dev.midplane.core.exec.SimulatedRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java side of the image builder, with the script's answers scripted. */
class ImageBuilderTest {
  @TempDir
  Path cache;

  @Test
  void placesTheScriptAndTheOverlayOnceAndRunsThemFromThere() throws Exception {
    ImageBuilder b = ImageBuilder.inCache(cache, new SimulatedRunner("t"));

    Path dir = b.unpackScripts();

    assertThat(dir.getParent()).isEqualTo(cache.resolve("scripts"));
    assertThat(Files.readString(dir.resolve("build-image.sh"))).startsWith("#!/bin/bash");
    assertThat(Files.getPosixFilePermissions(dir.resolve("build-image.sh"))).contains(PosixFilePermission.OWNER_EXECUTE);
    assertThat(Files.getPosixFilePermissions(dir.resolve("overlay/init"))).contains(PosixFilePermission.OWNER_EXECUTE);
    assertThat(dir.resolve("overlay/etc/inittab")).isRegularFile();
    assertThat(b.unpackScripts()).isEqualTo(dir);
    try (var s = Files.list(cache.resolve("scripts"))) {
      assertThat(s.toList()).containsExactly(dir);
    }
  }

  @Test
  void listsWhatTheScriptSaysIsMissing() {
    SimulatedRunner r = new SimulatedRunner("t").register("bash", inv -> inv.args().contains("--check")
        ? new Reply(3, "missing: tool 'cpio'\nmissing: root\n", "")
        : Reply.fail(99, "unexpected"));

    assertThat(ImageBuilder.inCache(cache, r).missingPrerequisites()).containsExactly("tool 'cpio'", "root");
  }

  @Test
  void nothingMissingIsAnEmptyList() {
    SimulatedRunner r = new SimulatedRunner("t").register("bash", inv -> Reply.ok());

    assertThat(ImageBuilder.inCache(cache, r).missingPrerequisites()).isEmpty();
  }

  @Test
  void aCheckThatBreaksIsAnErrorNotAnEmptyList() {
    SimulatedRunner r = new SimulatedRunner("t").register("bash", inv -> Reply.fail(2, "syntax error near line 7"));

    assertThatThrownBy(() -> ImageBuilder.inCache(cache, r).missingPrerequisites())
        .hasMessageContaining("syntax error near line 7");
  }

  @Test
  void buildsThroughNiceAndReadsWhatTheScriptPrinted() throws Exception {
    Path versions = Files.writeString(cache.resolve("versions.txt"), "guest busybox-static 1:1.35.0-4\nhost kmod 30\n");
    AtomicReference<List<String>> argv = new AtomicReference<>();
    SimulatedRunner r = new SimulatedRunner("t").register("nice", inv -> {
      argv.set(inv.command().argv());
      return new Reply(0, BuildOutputTest.output("cached", "built", 0).replace(
          "/cache/base/0123456789abcdef/versions.txt", versions.toString()), "build-image: progress\n");
    });
    Path log = cache.resolve("logs/build.log");

    LabImage image = ImageBuilder.inCache(cache, r).log(log).build();

    assertThat(argv.get()).startsWith("nice", "-n", "10", "bash");
    assertThat(argv.get().get(4)).endsWith("/build-image.sh");
    assertThat(argv.get().subList(5, 9)).containsExactly("--cache", cache.toString(), "--overlay",
        argv.get().get(4).replace("build-image.sh", "overlay"));
    assertThat(image.version("kmod")).hasValue("30");
    assertThat(image.build().kind()).isEqualTo("overlay");
    assertThat(Files.readString(log)).contains("build-image: progress");
  }

  @Test
  void aFailedBuildCarriesTheTailOfItsLog() {
    SimulatedRunner r = new SimulatedRunner("t").register("nice",
        inv -> Reply.fail(1, "build-image: downloading busybox-static\nbuild-image: error: apt-get download busybox-static failed\n"));

    assertThatThrownBy(() -> ImageBuilder.inCache(cache, r).build())
        .isInstanceOf(LabException.class)
        .hasMessageContaining("exit 1")
        .hasMessageContaining("apt-get download busybox-static failed")
        .satisfies(e -> assertThat(((LabException) e).log()).hasValue(cache.resolve("build.log")));
  }

  @Test
  void outputItDoesNotUnderstandIsAnError() {
    SimulatedRunner r = new SimulatedRunner("t").register("nice", inv -> Reply.ok("kernel=/k\n"));

    assertThatThrownBy(() -> ImageBuilder.inCache(cache, r).build())
        .isInstanceOf(LabException.class)
        .hasMessageContaining("not understood")
        .hasMessageContaining("printed no");
  }
}
