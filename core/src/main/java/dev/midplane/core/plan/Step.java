package dev.midplane.core.plan;

import dev.midplane.core.Host;
import dev.midplane.core.exec.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One change in a {@link Plan}: apply it, check it against the live state, undo it.
 *
 * <p>{@link #apply()} must be all-or-nothing: when it throws, the plan assumes the step changed
 * nothing and undoes only the steps before it. A change made of several commands that can fail
 * half-way belongs in several steps.
 */
public interface Step {
  /** What the step does, in words: {@code "enslave eth1 to bond0"}. */
  String description();

  /** The commands {@link #apply()} will run, for dry runs; empty when it only writes files. */
  default List<Command> commands() {
    return List.of();
  }

  void apply();

  /** Checks the live state after {@link #apply()}; the default trusts apply. */
  default Verification verify() {
    return Verification.ok();
  }

  /** False when the change cannot be taken back (a flushed map, a deleted path). */
  default boolean undoable() {
    return true;
  }

  /** Takes the change back. Only called after a successful {@link #apply()}. */
  void undo();

  /** Starts a step built from lambdas and commands. */
  static Builder builder(String description) {
    return new Builder(description);
  }

  /** Builds a {@link Step}. */
  final class Builder {
    private final String description;
    private final List<Command> commands = new ArrayList<>();
    private Runnable apply;
    private Runnable undo;
    private Supplier<Verification> verify = Verification::ok;

    private Builder(String description) {
      this.description = Objects.requireNonNull(description, "description");
    }

    /** Applying runs {@code command} on {@code host}; a non-zero exit fails the step. */
    public Builder runs(Host host, Command command) {
      commands.add(command);
      Runnable previous = apply;
      apply = () -> {
        if (previous != null) {
          previous.run();
        }
        host.execute(command);
      };
      return this;
    }

    /** Undoing runs {@code command} on {@code host}. */
    public Builder undoRuns(Host host, Command command) {
      undo = () -> host.execute(command);
      return this;
    }

    /** Applying runs {@code action}; {@code shownAs} are the commands a dry run lists for it. */
    public Builder apply(Runnable action, Command... shownAs) {
      commands.addAll(List.of(shownAs));
      Runnable previous = apply;
      apply = previous == null ? action : () -> {
        previous.run();
        action.run();
      };
      return this;
    }

    public Builder undo(Runnable action) {
      undo = action;
      return this;
    }

    public Builder verify(Supplier<Verification> check) {
      verify = Objects.requireNonNull(check);
      return this;
    }

    public Step build() {
      if (apply == null) {
        throw new IllegalStateException("step '" + description + "' has nothing to apply");
      }
      Runnable a = apply;
      Runnable u = undo;
      Supplier<Verification> v = verify;
      List<Command> shown = List.copyOf(commands);
      return new Step() {
        @Override
        public String description() {
          return description;
        }

        @Override
        public List<Command> commands() {
          return shown;
        }

        @Override
        public void apply() {
          a.run();
        }

        @Override
        public Verification verify() {
          return v.get();
        }

        @Override
        public boolean undoable() {
          return u != null;
        }

        @Override
        public void undo() {
          if (u == null) {
            throw new UnsupportedOperationException("'" + description + "' cannot be undone");
          }
          u.run();
        }

        @Override
        public String toString() {
          return description;
        }
      };
    }
  }
}
