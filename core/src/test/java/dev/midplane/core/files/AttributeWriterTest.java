package dev.midplane.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttributeWriterTest {
  @TempDir Path dir;

  @Test
  void writesTheValueIntoAnExistingFile() throws Exception {
    Path f = dir.resolve("scan");
    Files.writeString(f, "");
    AttributeWriter.direct("h").write(f, "/sys/class/scsi_host/host0/scan", "- - -");
    assertThat(f).hasContent("- - -");
  }

  @Test
  void aMissingAttributeIsEnoent() {
    assertThatThrownBy(() -> AttributeWriter.direct("blade1").write(dir.resolve("nope"), "/sys/nope", "1\n"))
        .isInstanceOf(AttributeWriteException.class)
        .hasMessage("writing '1' to /sys/nope on blade1 failed: ENOENT (No such file or directory)")
        .satisfies(e -> assertThat(((AttributeWriteException) e).errno()).hasValue(Errno.ENOENT));
  }

  @Test
  void errnoIsRecognisedFromStrerrorText() {
    assertThat(Errno.fromMessage("write error: Invalid argument")).hasValue(Errno.EINVAL);
    assertThat(Errno.fromMessage("Device or resource busy")).hasValue(Errno.EBUSY);
    assertThat(Errno.fromMessage("write error: Directory not empty")).hasValue(Errno.ENOTEMPTY);
    assertThat(Errno.fromMessage("something else")).isEmpty();
  }
}
