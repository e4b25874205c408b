package dev.midplane.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.testkit.Fixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class BuildOutputTest {
  /** The result lines as the image script prints them (its last lines, in its order). */
  static String output(String base, String initrd, int downloaded) {
    return String.join("\n",
        "kernel=/cache/base/0123456789abcdef/vmlinuz",
        "initrd=/cache/base/0123456789abcdef/initrd-fedcba9876543210.img",
        "kernel-release=6.1.0-56-amd64",
        "kernel-package=linux-image-6.1.0-56-amd64 6.1.192-2",
        "client-key=/cache/client/id_ecdsa",
        "versions=/cache/base/0123456789abcdef/versions.txt",
        "image-key=0123456789abcdef-fedcba9876543210",
        "downloaded=" + downloaded,
        "unpacked=" + downloaded,
        "base=" + base,
        "initrd-state=" + initrd) + "\n";
  }

  @Test
  void readsTheResultLinesIntoAnImage() {
    Map<String, String> r = BuildOutput.results(output("built", "built", 3));
    LabImage image = BuildOutput.image(r, List.of(new PackageVersion(PackageVersion.Origin.GUEST, "busybox-static", "1:1.35.0-4")),
        Duration.ofSeconds(35));

    assertThat(image.kernel()).isEqualTo(Path.of("/cache/base/0123456789abcdef/vmlinuz"));
    assertThat(image.initrd().getFileName()).hasToString("initrd-fedcba9876543210.img");
    assertThat(image.kernelRelease()).isEqualTo("6.1.0-56-amd64");
    assertThat(image.clientKey()).isEqualTo(Path.of("/cache/client/id_ecdsa"));
    assertThat(image.imageKey()).isEqualTo("0123456789abcdef-fedcba9876543210");
    assertThat(image.version("busybox-static")).hasValue("1:1.35.0-4");
    assertThat(image.version("dropbear-bin")).isEmpty();
    assertThat(image.build()).isEqualTo(new LabImage.BuildReport(3, 3, true, true, Duration.ofSeconds(35)));
  }

  @Test
  void theReportSaysWhatTheBuildCost() {
    assertThat(report(output("built", "built", 3)).kind()).isEqualTo("cold");
    assertThat(report(output("built", "built", 0)).kind()).isEqualTo("base");
    assertThat(report(output("cached", "built", 0)).kind()).isEqualTo("overlay");
    assertThat(report(output("cached", "cached", 0)).kind()).isEqualTo("cached");
  }

  private static LabImage.BuildReport report(String out) {
    return BuildOutput.image(BuildOutput.results(out), List.of(), Duration.ZERO).build();
  }

  @Test
  void missingResultsAreNamed() {
    String out = output("built", "built", 0).replaceAll("(?m)^(kernel|initrd)=.*\n", "");

    assertThatThrownBy(() -> BuildOutput.results(out)).hasMessageContaining("printed no initrd, kernel");
  }

  @Test
  void aLineThatIsNotAResultFailsWithItsNumber() {
    String out = output("built", "built", 0).replace("unpacked=0\n", "unpacked=0\nbuild-image: packing\n");

    assertThatThrownBy(() -> BuildOutput.results(out)).hasMessageContaining("line 10");
  }

  @Test
  void aKeyGivenTwiceFailsWithItsNumber() {
    assertThatThrownBy(() -> BuildOutput.results(output("built", "built", 0) + "base=cached\n"))
        .hasMessageContaining("line 12").hasMessageContaining("'base' given twice");
  }

  @Test
  void statesAndCountsAreChecked() {
    assertThatThrownBy(() -> report(output("maybe", "built", 0))).hasMessageContaining("neither built nor cached");
    assertThatThrownBy(() -> report(output("built", "built", -1))).hasMessageContaining("not a count");
  }

  @Test
  void readsTheRealVersionList() {
    List<PackageVersion> v = BuildOutput.versions(Fixtures.text(getClass(), "versions.txt"));

    assertThat(v).contains(
        new PackageVersion(PackageVersion.Origin.GUEST, "linux-image-6.1.0-56-amd64", "6.1.192-2"),
        new PackageVersion(PackageVersion.Origin.GUEST, "busybox-static", "1:1.35.0-4+deb12u1+b1"),
        new PackageVersion(PackageVersion.Origin.HOST, "multipath-tools", "0.9.4-3+deb12u2"));
    assertThat(v).filteredOn(p -> p.origin() == PackageVersion.Origin.HOST).hasSize(17);
  }

  @Test
  void aBadVersionLineFailsWithItsNumber() {
    assertThatThrownBy(() -> BuildOutput.versions("guest a 1\nhost b\n")).hasMessageContaining("versions line 2");
    assertThatThrownBy(() -> BuildOutput.versions("guest a 1\nsystem b 2\n")).hasMessageContaining("unknown origin 'system'");
    assertThatThrownBy(() -> BuildOutput.versions("architecture amd64\n")).hasMessageContaining("names no package");
  }

  @Property
  void anyWellFormedOutputComesBackAsPrinted(@ForAll("values") Map<String, String> extra) {
    Map<String, String> expected = new LinkedHashMap<>(BuildOutput.results(output("cached", "cached", 0)));
    extra.forEach(expected::putIfAbsent);
    String printed = expected.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining("\n", "", "\n"));

    assertThat(BuildOutput.results(printed)).containsExactlyEntriesOf(expected);
  }

  @Provide
  Arbitrary<Map<String, String>> values() {
    return Arbitraries.maps(
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12),
        Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40).map(String::strip)).ofMaxSize(6);
  }
}
