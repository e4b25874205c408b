package dev.midplane.network;

import dev.midplane.core.CommandFailedException;
import dev.midplane.core.Host;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.plan.Step;
import dev.midplane.core.plan.Verification;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plan steps for link changes. With a batching backend all the steps of a plan share one
 * {@link Batch}: the first step's apply runs every change in one {@code ip -batch -} (which stops
 * at the first failing line), each step then reports its own line's fate, and the first step's
 * verification reads the live state once for all of them. So a plan of any size costs two
 * processes when it succeeds, and the {@link dev.midplane.core.plan.Plan} still sees — and rolls
 * back — one step per change.
 */
final class LinkSteps {
  private static final Logger LOG = LoggerFactory.getLogger(LinkSteps.class);
  private static final Pattern FAILED_LINE = Pattern.compile("Command failed \\S*:(\\d+)");

  /** A change and what takes it back (empty: nothing to take back; null: cannot be undone). */
  record Planned(LinkChange change, List<LinkChange> undo) {}

  private LinkSteps() {}

  static List<Step> batched(Host host, LinkBackend backend, List<Planned> planned) {
    Batch batch = new Batch(host, backend, planned);
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < planned.size(); i++) {
      steps.add(new BatchedStep(batch, i));
    }
    return steps;
  }

  static List<Step> individual(Host host, LinkBackend backend, List<Planned> planned) {
    return planned.stream().<Step>map(p -> new SingleStep(host, backend, p)).toList();
  }

  static void runAll(Host host, LinkBackend backend, List<LinkChange> changes) {
    for (LinkChange c : changes) {
      backend.apply(host, c);
    }
  }

  /** The state shared by the steps of one batched plan. */
  private static final class Batch {
    final Host host;
    final LinkBackend backend;
    final List<Planned> planned;
    boolean ran;
    int applied;
    int failedAt = -1;
    RuntimeException failure;
    LiveState snapshot;
    int lastApplied = -1;
    boolean settled;

    Batch(Host host, LinkBackend backend, List<Planned> planned) {
      this.host = host;
      this.backend = backend;
      this.planned = planned;
    }

    Command command() {
      StringBuilder script = new StringBuilder();
      for (Planned p : planned) {
        script.append(backend.batchLine(p.change()).orElseThrow()).append('\n');
      }
      return Command.builder("ip", "-batch", "-").stdin(script.toString()).timeout(IpCommands.TIMEOUT).build();
    }

    synchronized void run() {
      if (ran) {
        return;
      }
      ran = true;
      Command cmd = command();
      CommandResult r;
      try {
        r = host.run(cmd);
      } catch (RuntimeException e) {
        // Timed out or could not start: find out from the live state how far it got.
        failure = e;
        applied = appliedPrefix();
        failedAt = applied;
        return;
      }
      if (r.isSuccess()) {
        applied = planned.size();
        return;
      }
      Matcher m = FAILED_LINE.matcher(r.stderr());
      String lineInfo;
      if (m.find()) {
        failedAt = Integer.parseInt(m.group(1)) - 1;
        applied = failedAt;
        lineInfo = "line " + (failedAt + 1) + " (" + backend.batchLine(planned.get(failedAt).change()).orElse("") + ")";
      } else {
        applied = appliedPrefix();
        failedAt = applied;
        lineInfo = "an unknown line";
      }
      failure = new CommandFailedException(host.name().value(), cmd.argv(), java.util.OptionalInt.of(r.exitCode()),
          r.stderr(), "exited with " + r.exitCode() + " at " + lineInfo, null);
    }

    private int appliedPrefix() {
      LiveState live = backend.read(host);
      int k = 0;
      while (k < planned.size() && planned.get(k).change().problem(live).isEmpty()) {
        k++;
      }
      return k;
    }

    /** Takes back the changes after {@code i} that the batch made but the plan will never see. */
    void undoTail(int i) {
      for (int k = applied - 1; k > i; k--) {
        List<LinkChange> undo = planned.get(k).undo();
        if (undo == null) {
          LOG.error("cannot undo '{}' after a failed verification", planned.get(k).change().description());
          continue;
        }
        runAll(host, backend, undo);
      }
      applied = Math.min(applied, i + 1);
    }
  }

  /** What every link step shares: its change, its commands, its undo. */
  private abstract static class ChangeStep implements Step {
    final Host host;
    final LinkBackend backend;
    final Planned planned;

    ChangeStep(Host host, LinkBackend backend, Planned planned) {
      this.host = host;
      this.backend = backend;
      this.planned = planned;
    }

    @Override
    public String description() {
      List<LinkBackend.AttributeWrite> writes = backend.writes(planned.change());
      return planned.change().description() + (writes.isEmpty() ? ""
          : " [sysfs: " + String.join("; ", writes.stream().map(LinkBackend.AttributeWrite::toString).toList()) + "]");
    }

    @Override
    public List<Command> commands() {
      return backend.commands(planned.change());
    }

    @Override
    public boolean undoable() {
      return planned.undo() != null;
    }

    @Override
    public void undo() {
      runAll(host, backend, planned.undo());
    }

    @Override
    public String toString() {
      return description();
    }
  }

  private static final class BatchedStep extends ChangeStep {
    private final Batch batch;
    private final int index;

    BatchedStep(Batch batch, int index) {
      super(batch.host, batch.backend, batch.planned.get(index));
      this.batch = batch;
      this.index = index;
    }

    @Override
    public void apply() {
      batch.run();
      batch.lastApplied = index;
      if (index < batch.applied) {
        return;
      }
      if (index == batch.failedAt) {
        throw batch.failure;
      }
      throw new IllegalStateException("step " + (index + 1) + " was not reached by ip -batch");
    }

    @Override
    public Verification verify() {
      synchronized (batch) {
        if (index == 0 || batch.snapshot == null) {
          batch.snapshot = batch.backend.read(batch.host);
        }
        Optional<String> problem = planned.change().problem(batch.snapshot);
        boolean inApply = batch.ran && !batch.settled && batch.lastApplied == index;
        if (problem.isPresent() && inApply) {
          batch.undoTail(index);
          batch.settled = true;
        } else if (inApply && index == batch.planned.size() - 1) {
          batch.settled = true;
        }
        return problem.map(Verification::failed).orElse(Verification.ok());
      }
    }
  }

  private static final class SingleStep extends ChangeStep {
    SingleStep(Host host, LinkBackend backend, Planned planned) {
      super(host, backend, planned);
    }

    @Override
    public void apply() {
      backend.apply(host, planned.change());
    }

    @Override
    public Verification verify() {
      return planned.change().problem(backend.read(host)).map(Verification::failed).orElse(Verification.ok());
    }
  }
}
