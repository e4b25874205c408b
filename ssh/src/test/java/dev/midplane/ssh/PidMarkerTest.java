package dev.midplane.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PidMarkerTest {
  private static String feed(PidMarker m, OutputCapture sink, byte[] all, List<Integer> cuts) throws IOException {
    int at = 0;
    for (int c : cuts) {
      int n = Math.min(c, all.length - at);
      m.write(all, at, n);
      at += n;
    }
    m.write(all, at, all.length - at);
    m.finish();
    return new String(sink.bytes(), StandardCharsets.UTF_8);
  }

  @Property
  void theAnnouncementIsTakenOutWhereverTheChunksAreCut(@ForAll String before, @ForAll String after,
      @ForAll @IntRange(min = 2, max = 4_000_000) int pid, @ForAll @Size(max = 20) List<@IntRange(min = 0, max = 40) Integer> cuts)
      throws IOException {
    // Start-up files may print before the wrapper; the program prints after it.
    String pre = before.replace("\n", " ") + (before.isEmpty() ? "" : "\n");
    String text = pre + PidMarker.PREFIX + "c0ffee:" + pid + "\n" + after;
    OutputCapture sink = new OutputCapture(1 << 20);
    PidMarker m = new PidMarker("c0ffee", sink);
    assertThat(feed(m, sink, text.getBytes(StandardCharsets.UTF_8), cuts)).isEqualTo(pre + after);
    assertThat(m.pid()).isCompletedWithValue((long) pid);
  }

  @Test
  void anotherNonceIsNotTheAnnouncement() throws IOException {
    OutputCapture sink = new OutputCapture(1 << 20);
    PidMarker m = new PidMarker("aaaa", sink);
    String text = PidMarker.PREFIX + "bbbb:42\nerr\n";
    assertThat(feed(m, sink, text.getBytes(StandardCharsets.UTF_8), List.of(3))).isEqualTo(text);
    assertThat(m.pid()).isNotDone();
  }

  @Test
  void aLongLineIsPassedThroughWhole() throws IOException {
    OutputCapture sink = new OutputCapture(1 << 20);
    PidMarker m = new PidMarker("aaaa", sink);
    String text = "x".repeat(5000) + "\n" + PidMarker.PREFIX + "aaaa:7\nrest";
    assertThat(feed(m, sink, text.getBytes(StandardCharsets.UTF_8), List.of(100, 1000))).isEqualTo("x".repeat(5000) + "\nrest");
    assertThat(m.pid()).isCompletedWithValue(7L);
  }

  @Test
  void signalNamesBecome128PlusTheirNumber() {
    assertThat(Signals.exitCode("KILL")).hasValue(137);
    assertThat(Signals.exitCode("SIGTERM")).hasValue(143);
    assertThat(Signals.exitCode("NOPE")).isEmpty();
  }
}
