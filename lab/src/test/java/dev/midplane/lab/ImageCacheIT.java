package dev.midplane.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.testkit.RequiresReal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The real image script against the real cache: reuse when nothing changed, a cheap repack when only /init did. */
@RequiresReal(tools = QemuCommandLine.PROGRAM, root = true)
@ExtendWith(LabExtension.class)
class ImageCacheIT {
  @TempDir
  Path overlay;

  @Test
  void anUnchangedImageIsReusedAndAnInitChangeOnlyRepacksTheOverlay(LabImage first) throws Exception {
    ImageBuilder builder = ImageBuilder.inCache(ImageBuilder.defaultCache())
        .log(LabExtension.labDir().resolve("build-image-cache-it.log"));

    LabImage again = builder.build();

    assertThat(again.build().kind()).isEqualTo("cached");
    assertThat(again.imageKey()).isEqualTo(first.imageKey());
    assertThat(again.initrd()).isEqualTo(first.initrd());
    assertThat(again.packages()).isEqualTo(first.packages());
    assertThat(again.version("busybox-static")).isPresent();
    assertThat(again.packages()).anySatisfy(p -> assertThat(p.name()).startsWith("linux-image-6"));
    record("cached", again);

    Path scripts = builder.unpackScripts().resolve("overlay");
    copyTree(scripts, overlay);
    Files.writeString(overlay.resolve("init"), Files.readString(overlay.resolve("init")) + "# changed by " + getClass().getSimpleName() + "\n");

    LabImage changed = builder.overlay(overlay).build();

    assertThat(changed.build().kind()).isEqualTo("overlay");
    String base = first.imageKey().substring(0, first.imageKey().indexOf('-'));
    assertThat(changed.imageKey()).startsWith(base + "-").isNotEqualTo(first.imageKey());
    assertThat(changed.kernel()).isEqualTo(first.kernel());
    assertThat(changed.initrd()).isNotEqualTo(first.initrd());
    assertThat(Files.readAllBytes(changed.initrd())).startsWith(gzipMagic());
    record("overlay", changed);

    LabImage restored = ImageBuilder.inCache(ImageBuilder.defaultCache()).log(LabExtension.labDir().resolve("build-image-cache-it.log")).build();

    assertThat(restored.imageKey()).isEqualTo(first.imageKey());
    assertThat(restored.build().kind()).isEqualTo("overlay");
    assertThat(restored.initrd()).isRegularFile();
    assertThat(changed.initrd()).doesNotExist();
  }

  private static byte[] gzipMagic() {
    return new byte[] {(byte) 0x1f, (byte) 0x8b};
  }

  private static void record(String what, LabImage image) {
    LabExtension.record(String.format(Locale.ROOT, "image-build %s %.1f s (%s)", what,
        LabExtension.seconds(image.build().duration()), image.build().kind()));
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (var walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}
