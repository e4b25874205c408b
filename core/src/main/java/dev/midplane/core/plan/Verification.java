package dev.midplane.core.plan;

import java.util.Objects;

/** The outcome of checking a step against the live state: ok, or what differs. */
public final class Verification {
  private static final Verification OK = new Verification(null);
  private final String problem;

  private Verification(String problem) {
    this.problem = problem;
  }

  public static Verification ok() {
    return OK;
  }

  /** The live state differs; {@code problem} says how ("active_slave is eth1, expected eth0"). */
  public static Verification failed(String problem) {
    return new Verification(Objects.requireNonNull(problem, "problem"));
  }

  /** {@code ok()} when {@code condition} holds, else {@code failed(problem)}. */
  public static Verification check(boolean condition, String problem) {
    return condition ? OK : failed(problem);
  }

  public boolean isOk() {
    return problem == null;
  }

  /** What differs; empty string when ok. */
  public String problem() {
    return problem == null ? "" : problem;
  }

  @Override
  public String toString() {
    return isOk() ? "ok" : "failed: " + problem;
  }
}
