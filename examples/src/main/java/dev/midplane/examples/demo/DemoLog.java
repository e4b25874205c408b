package dev.midplane.examples.demo;

import dev.midplane.examples.json.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The demo's account of itself, printed as it goes: for people, each step as a numbered heading
 * followed by what happened; with JSON, one object per step and line
 * ({@code {"step":N,"title":…,"lines":[…],"facts":{…}}}), the facts being the values a program
 * (or a test) checks: sizes in bytes, names, lists of reasons.
 */
public final class DemoLog {
  /** One finished step. */
  public record StepRecord(int step, String title, List<String> lines, Map<String, Object> facts) {
    public StepRecord {
      lines = List.copyOf(lines);
      facts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    }
  }

  private final PrintWriter out;
  private final boolean json;
  private final List<StepRecord> steps = new ArrayList<>();
  private Step current;

  /** A log printing to {@code out}, as JSON lines when {@code json}. */
  public DemoLog(PrintWriter out, boolean json) {
    this.out = Objects.requireNonNull(out, "out");
    this.json = json;
  }

  /** Starts the next step (finishing the one before). */
  public Step step(String title) {
    finish();
    current = new Step(steps.size() + 1, title);
    if (!json) {
      out.printf("%n== %d. %s%n", current.number, title);
      out.flush();
    }
    return current;
  }

  /** Finishes the last step; call once at the end. */
  public void finish() {
    if (current == null) {
      return;
    }
    StepRecord r = new StepRecord(current.number, current.title, current.lines, current.facts);
    steps.add(r);
    if (json) {
      out.println(Json.line(r));
      out.flush();
    }
    current = null;
  }

  /** The steps finished so far. */
  public List<StepRecord> steps() {
    return List.copyOf(steps);
  }

  /** The step being written. */
  public final class Step {
    private final int number;
    private final String title;
    private final List<String> lines = new ArrayList<>();
    private final Map<String, Object> facts = new LinkedHashMap<>();

    private Step(int number, String title) {
      this.number = number;
      this.title = title;
    }

    /** A line for people (also kept in the JSON). */
    public Step say(String format, Object... args) {
      String line = args.length == 0 ? format : String.format(java.util.Locale.ROOT, format, args);
      for (String l : line.split("\n", -1)) {
        lines.add(l);
        if (!json) {
          out.println("   " + l);
        }
      }
      if (!json) {
        out.flush();
      }
      return this;
    }

    /** A value for programs: written to the JSON, not to the text. */
    public Step fact(String key, Object value) {
      facts.put(key, value);
      return this;
    }
  }
}
