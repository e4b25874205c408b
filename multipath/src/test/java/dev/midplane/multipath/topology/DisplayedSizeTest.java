package dev.midplane.multipath.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Sizes print as libmultipath's snprint_size() prints them. */
class DisplayedSizeTest {
  @Test
  void theSizesOfTheCaptures() {
    assertThat(DisplayedSize.of(131072L * 512)).hasToString("64M");
    assertThat(DisplayedSize.of(2097152L * 512)).hasToString("1.0G");
    assertThat(DisplayedSize.of(4194304L * 512)).hasToString("2.0G");
    assertThat(DisplayedSize.of(0)).hasToString("0.0K");
    assertThat(DisplayedSize.of(1023)).as("whole sectors, halved to KiB").hasToString("0.0K");
    assertThat(DisplayedSize.of(2048)).hasToString("2.0K");
    assertThat(DisplayedSize.of(10L << 30)).hasToString("10G");
    assertThat(DisplayedSize.of(9_999L << 20)).hasToString("9.8G");
    assertThat(DisplayedSize.of(Long.MAX_VALUE).unit()).isEqualTo('P');
    assertThat(DisplayedSize.parse("1.5 TB")).isEqualTo(DisplayedSize.parse("1.5T"));
    assertThatThrownBy(() -> DisplayedSize.parse("12 parsecs")).isInstanceOf(IllegalArgumentException.class);
  }

  @Property(tries = 2000)
  void printedSizesReadBackAndMatchTheirBytes(@ForAll @LongRange(min = 0, max = 1L << 55) long bytes) {
    DisplayedSize d = DisplayedSize.of(bytes);
    assertThat(DisplayedSize.parse(d.text())).isEqualTo(d);
    assertThat(d.matches(bytes)).isTrue();
    assertThat(d.text()).matches("\\d+(\\.\\d)?[KMGTP]");
    // within the rounding of the last printed digit (and float precision)
    double unit = Math.pow(1024, "KMGTP".indexOf(d.unit()) + 1);
    double step = d.value().scale() == 1 ? 0.05 : 0.5;
    assertThat((double) (bytes / 512 * 512)).isBetween(
        (d.value().doubleValue() - step) * unit * 0.9999 - 1024, (d.value().doubleValue() + step) * unit * 1.0001 + 1024);
  }
}
