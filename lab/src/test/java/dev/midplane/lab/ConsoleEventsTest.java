package dev.midplane.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.testkit.Fixtures;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ConsoleEventsTest {
  private final String boot = Fixtures.text(getClass(), "console-boot.txt");

  @Test
  void readsTheStagesAndTheHostKeyOfARealBoot() {
    ConsoleEvents ev = ConsoleEvents.parse(boot);

    assertThat(ev.stages()).containsExactly(
        Map.entry("init", 2.79), Map.entry("udev", 4.17), Map.entry("network", 4.20),
        Map.entry("sshd", 5.45), Map.entry("poweroff", 15.18));
    assertThat(ev.hostKey()).hasValueSatisfying(k -> assertThat(k)
        .startsWith("ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTY")
        .endsWith("zCas+CFcSdS1kMNW6zuEn0s=")
        .doesNotContain("\r"));
    assertThat(ev.failures()).isEmpty();
    assertThat(ev.portTaken()).isFalse();
  }

  @Test
  void aLineStillBeingWrittenIsNotRead() {
    int cut = boot.indexOf("midplane-lab: host-key") + 60;

    ConsoleEvents ev = ConsoleEvents.parse(boot.substring(0, cut));

    assertThat(ev.hostKey()).isEmpty();
    assertThat(ev.stages()).containsOnlyKeys("init", "udev", "network");
  }

  @Test
  void recognisesQemuRefusingAForwardedPortThatIsTaken() {
    assertThat(ConsoleEvents.parse(Fixtures.text(getClass(), "qemu-port-taken.txt")).portTaken()).isTrue();
    assertThat(ConsoleEvents.parse(boot).portTaken()).isFalse();
  }

  @Test
  void collectsWhatTheGuestCouldNotDo() {
    ConsoleEvents ev = ConsoleEvents.parse("midplane-lab: stage init 1.00\nip: can't find device 'eth0'\n"
        + "midplane-lab: failed eth0\nmidplane-lab: stage network 9.50\n");

    assertThat(ev.failures()).containsExactly("eth0");
    assertThat(ev.reached("network")).isTrue();
    assertThat(ev.reached("sshd")).isFalse();
  }

  @Test
  void aHostKeyWhoseBlobDoesNotNameItsTypeIsRejectedWithItsLine() {
    String otherType = Base64.getEncoder().encodeToString(blob("ssh-ed25519", 32));
    String text = "noise\nmidplane-lab: stage init 1.00\nmidplane-lab: host-key ecdsa-sha2-nistp256 " + otherType + "\n";

    assertThatThrownBy(() -> ConsoleEvents.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("console line 3")
        .hasMessageContaining("does not start with its type");
  }

  @Test
  void aSecondDifferentHostKeyIsRefused() {
    String a = Base64.getEncoder().encodeToString(blob("ssh-ed25519", 32));
    String b = Base64.getEncoder().encodeToString(blob("ssh-ed25519", 33));
    String text = "midplane-lab: host-key ssh-ed25519 " + a + "\nmidplane-lab: host-key ssh-ed25519 " + b + "\n";

    assertThatThrownBy(() -> ConsoleEvents.parse(text)).hasMessageContaining("console line 2");
  }

  @Test
  void aGarbledMarkerIsAnErrorNotSilence() {
    assertThatThrownBy(() -> ConsoleEvents.parse("ok\nmidplane-lab: stage sshd soon\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("console line 2");
  }

  @Property
  void stagesAmidNoiseComeBackInOrder(@ForAll("noise") List<String> noise,
      @ForAll @Size(max = 6) List<@net.jqwik.api.constraints.IntRange(max = 99999) Integer> uptimes) {
    Map<String, Double> expected = new LinkedHashMap<>();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < Math.max(noise.size(), uptimes.size()); i++) {
      if (i < noise.size()) {
        lines.add(noise.get(i));
      }
      if (i < uptimes.size()) {
        String stage = "s" + i;
        double up = uptimes.get(i) / 100.0;
        expected.put(stage, up);
        lines.add("\u001b[0m" + ConsoleEvents.PREFIX + "stage " + stage + " " + String.format(java.util.Locale.ROOT, "%.2f", up) + "\r");
      }
    }

    ConsoleEvents ev = ConsoleEvents.parse(String.join("\n", lines) + "\n");

    assertThat(ev.stages()).containsExactlyEntriesOf(expected);
    assertThat(ev.hostKey()).isEmpty();
    assertThat(ev.failures()).isEmpty();
  }

  @Property
  void withoutANewlineNothingIsRead(@ForAll("noise") List<String> noise) {
    String partial = ConsoleEvents.PREFIX + "stage sshd 1.00" + String.join("", noise).replace("\n", "");
    assertThat(ConsoleEvents.parse(partial).stages()).isEmpty();
  }

  @Provide
  Arbitrary<List<String>> noise() {
    return Arbitraries.strings().withCharRange(' ', '~').withChars('\u001b', '\r', '\t').ofMaxLength(80)
        .filter(s -> !s.contains("midplane-lab:") && !s.contains("Could not set up host forwarding rule"))
        .list().ofMaxSize(12);
  }

  /** An SSH public key blob: the type as a length-prefixed string, then {@code n} bytes. */
  private static byte[] blob(String type, int n) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(4 + t.length + n).putInt(t.length).put(t).array();
  }
}
