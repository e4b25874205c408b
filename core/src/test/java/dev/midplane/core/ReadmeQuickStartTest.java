package dev.midplane.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
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
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<String> problems = new ArrayList<>();
    PrintStream realOut = System.out;
    // The local execution engine runs snippets in this JVM, so their System.out is ours.
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try (JShell js = JShell.builder()
        .executionEngine("local")
        .out(new PrintStream(out, true, StandardCharsets.UTF_8))
        .err(new PrintStream(out, true, StandardCharsets.UTF_8))
        .build()) {
      for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
        js.addToClasspath(entry);
      }
      String rest = quickStart();
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
    assertThat(problems).isEmpty();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("plan: bond0 for the development VLAN").contains("$ ip link add bond0");
  }
}
