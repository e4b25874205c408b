package dev.midplane.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.Test;

/**
 * Every script in {@code examples/jshell/} is evaluated in a real JShell with this build on the
 * class path, snippet by snippet as {@code jshell} would (its {@code /} commands skipped), and
 * what it prints is checked — so the scripts cannot rot.
 */
class JshellScriptsTest {
  private static final Path SCRIPTS = Path.of("jshell");

  /** What a script printed, and every snippet that was rejected or threw. */
  record Outcome(String out, List<String> problems) {}

  static Outcome evaluate(Path script) throws IOException {
    StringBuilder code = new StringBuilder();
    for (String line : Files.readAllLines(script)) {
      if (!line.startsWith("/")) {
        code.append(line).append('\n');
      }
    }
    return evaluate(code.toString());
  }

  /** Evaluates Java snippets as jshell would, in this JVM, with the test class path. */
  static Outcome evaluate(String code) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<String> problems = new ArrayList<>();
    PrintStream realOut = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try (JShell js = JShell.builder().executionEngine("local")
        .out(new PrintStream(out, true, StandardCharsets.UTF_8))
        .err(new PrintStream(out, true, StandardCharsets.UTF_8)).build()) {
      for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
        js.addToClasspath(entry);
      }
      String rest = code;
      while (!rest.isBlank()) {
        SourceCodeAnalysis.CompletionInfo info = js.sourceCodeAnalysis().analyzeCompletion(rest);
        String source = info.source();
        if (source == null) {
          problems.add("incomplete snippet: " + rest.strip());
          break;
        }
        for (SnippetEvent e : js.eval(source)) {
          if (e.status() == Snippet.Status.REJECTED) {
            js.diagnostics(e.snippet()).forEach(d -> problems.add(source.strip() + " -> " + d.getMessage(null)));
          }
          if (e.exception() != null) {
            problems.add(source.strip() + " threw " + e.exception());
          }
        }
        rest = info.remaining();
      }
    } finally {
      System.setOut(realOut);
    }
    return new Outcome(out.toString(StandardCharsets.UTF_8), problems);
  }

  private static Outcome run(String name) throws IOException {
    Outcome o = evaluate(SCRIPTS.resolve(name));
    assertThat(o.problems()).as(name).isEmpty();
    return o;
  }

  @Test
  void everyScriptHasATestHere() throws IOException {
    try (Stream<Path> s = Files.list(SCRIPTS)) {
      assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("bond-failover.jsh", "inventory.jsh", "lun-grow.jsh", "migration.jsh");
    }
  }

  @Test
  void bondFailover() throws IOException {
    String out = run("bond-failover.jsh").out();
    assertThat(out).contains("active before: eth0\n").contains("active after: eth1\n")
        .contains("eth0 link failures: 1\n")
        .contains("Bonding Mode: fault-tolerance (active-backup)").contains("Currently Active Slave: eth1");
  }

  @Test
  void lunGrow() throws IOException {
    String out = run("lun-grow.jsh").out();
    assertThat(out).containsPattern("web01 36001405[0-9a-f]{25}\n").contains("$ multipathd resize map web01\n")
        .containsPattern("blade1 /dev/mapper/web01: 30 GiB over \\[sd[a-z], sd[a-z], sd[a-z], sd[a-z]\\]");
  }

  @Test
  void migration() throws IOException {
    String out = run("migration.jsh").out();
    assertThat(out).contains("preflight: migrate web01 from blade1 to blade2: clear")
        .contains("$ xl migrate web01 blade2")
        .contains("4. move web01's placement from blade1 to blade2 (placement): applied")
        .contains("web01 runs on [blade2], placed on blade2")
        .contains("preflight: migrate db01 from blade1 to blade2: blocked")
        .contains("blocker (MEMORY): blade2 has 6656 MiB free, db01 needs 10240 MiB")
        .contains("blocker (DISK): blade2 has no multipath map db01");
  }

  @Test
  void inventory() throws IOException {
    String out = run("inventory.jsh").out();
    assertThat(out).contains("bond0 active-backup active eth0 slaves 2").contains("bond1 active-backup active eth2 slaves 2")
        .containsPattern("/dev/mapper/db01 36001405[0-9a-f]{25} 40 GiB")
        .contains("[{\"name\":\"db01\",\"sysfsName\":\"dm-0\",\"wwid\":\"36001405")
        .contains("blade2 maps: 0");
  }
}
