package dev.midplane.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's quick start is evaluated in a real JShell against this build, so it cannot rot. */
class ReadmeQuickStartTest {
  static String quickStart() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int begin = readme.indexOf("<!-- quickstart:begin");
    int end = readme.indexOf("<!-- quickstart:end");
    assertThat(begin).as("README has a quick start").isPositive();
    String block = readme.substring(begin, end);
    return block.substring(block.indexOf("```java") + 7, block.lastIndexOf("```"));
  }

  @Test
  void quickStartRunsInJShell() throws Exception {
    JshellScriptsTest.Outcome o = JshellScriptsTest.evaluate(quickStart());
    assertThat(o.problems()).isEmpty();
    assertThat(o.out())
        .contains("plan: lay out blade1")
        .contains("$ ip link add bond0 type bond mode active-backup miimon 100")
        .contains("$ ip link set bond1 master xenbr1")
        .contains("bond0 active slave: eth0")
        .contains("web01: 20 GiB over 4 paths");
  }
}
