package dev.midplane.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FidelityTest {
  @TempDir
  Path labDir;

  @BeforeEach
  void ownLabDirAndTheDefaultMode() {
    System.setProperty("midplane.lab.dir", labDir.toString());
    System.clearProperty("midplane.lab.fidelity");
  }

  @AfterEach
  void defaults() {
    System.clearProperty("midplane.lab.fidelity");
    System.clearProperty("midplane.lab.dir");
  }

  @Test
  void aDifferenceFailsTheTallyAndNamesTheStepAndBothOutcomes() throws Exception {
    Fidelity f = new Fidelity("unit");
    assertThat(f.compare("same", "a", "a")).isTrue();
    assertThat(f.compare("differs", "up", "down")).isFalse();

    assertThat(f.compared()).isEqualTo(2);
    assertThat(f.differences()).containsExactly("unit: differs: real kernel up, simulation down");
    assertThatThrownBy(f::verify).isInstanceOf(AssertionError.class)
        .hasMessageContaining("unit: differs: real kernel up, simulation down");
    assertThat(Files.readAllLines(labDir.resolve("fidelity.txt")))
        .containsExactly("unit: differs: real kernel up, simulation down", "# unit: 2 comparisons, 1 differences");
  }

  @Test
  void agreementPassesAndLenientModeOnlyRecords() {
    Fidelity same = new Fidelity("unit");
    String real = same.onBoth("step", 2, 2, Function.identity()).toString();
    assertThat(real).isEqualTo("2");
    assertThatCode(same::verify).doesNotThrowAnyException();

    System.setProperty("midplane.lab.fidelity", "lenient");
    Fidelity differs = new Fidelity("unit");
    assertThat(differs.onBoth("step", "real", "simulated", Function.identity())).isEqualTo("real");
    assertThatCode(differs::verify).doesNotThrowAnyException();
    assertThat(differs.differences()).hasSize(1);
  }

  @Test
  void aTallyWithNothingComparedIsAFailureNotAPass() {
    assertThatThrownBy(new Fidelity("unit")::verify).isInstanceOf(AssertionError.class)
        .hasMessageContaining("nothing was compared");
  }
}
