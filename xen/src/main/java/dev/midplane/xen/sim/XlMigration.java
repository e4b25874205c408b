package dev.midplane.xen.sim;

import dev.midplane.core.CommandTimeoutException;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.exec.ShellQuoting;
import dev.midplane.xen.DomainDetails;
import dev.midplane.xen.ToolstackOutputs;
import dev.midplane.xen.config.Dialect;
import dev.midplane.xen.sim.ToolstackCli.StreamMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * {@code xl migrate} and {@code xl migrate-receive}, simulated. The sender runs
 * {@code <ssh> <host> xl migrate-receive} through its host's runner with the stream on stdin (the
 * domain's configuration as JSON, as xl puts it into the real stream, behind a header naming how
 * far the transfer goes), the receiver rebuilds the domain on its host, and the sender weaves the
 * receiver's lines with its own in the order a real Xen 4.17 run printed them:
 *
 * <pre>
 * migration target: Ready to receive domain.
 * Saving to migration stream new xl format (info 0x3/0x0/1520)
 * Loading new save file &lt;incoming migration stream&gt; (new xl fmt info 0x3/0x0/1520)
 *  Savefile contains xl domain config in JSON format
 * Parsing config from &lt;saved&gt;
 * xc: info: Saving domain 1, type x86 PV
 * xc: info: Found x86 PV domain from Xen 4.17
 * ...
 * migration sender: Target reports successful startup.
 * Migration successful.
 * </pre>
 *
 * Failures print xl's own texts and leave the domains where xl leaves them (see
 * {@link SimulatedXen.MigrationFault}).
 */
final class XlMigration {
  private static final String READY = "migration target: Ready to receive domain.";
  private static final String PARSING = "Parsing config from <saved>";
  private static final String TRANSFER_COMPLETE = "migration target: Transfer complete, requesting permission to start domain.";

  private final SimulatedXen xen;
  private final ToolstackCli cli;

  XlMigration(SimulatedXen xen, ToolstackCli cli) {
    this.xen = xen;
    this.cli = cli;
  }

  // ------------------------------------------------------------------ sender

  void send(List<String> args, StringBuilder out, StringBuilder err, IntConsumer exit) {
    List<String> ssh = List.of("ssh");
    boolean paused = false;
    List<String> pos = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String s = args.get(i);
      switch (s) {
        case "-s" -> {
          if (i + 1 >= args.size()) {
            usage(err, exit);
            return;
          }
          ssh = ShellWords.split(args.get(++i));
        }
        case "-C" -> i++;
        case "--debug", "-e" -> { }
        case "-p" -> paused = true;
        default -> pos.add(s);
      }
    }
    if (pos.size() != 2 || ssh == null) {
      usage(err, exit);
      return;
    }
    if (SimulatedXen.isDomain0(pos.get(0))) {
      cli.say(new Refusal(Refusal.Reason.DOMAIN0, "migrate"), err, exit);
      return;
    }
    SimDomain d;
    try {
      d = xen.find(pos.get(0));
    } catch (Refusal r) {
      cli.say(r, err, exit);
      return;
    }
    String host = pos.get(1);
    Optional<SimulatedXen.MigrationFault> fault = xen.takeFault();
    boolean dirtyTracking = xen.canTrackDirtyPages(d.type);
    StreamMode mode = !dirtyTracking || fault.filter(f -> f == SimulatedXen.MigrationFault.SUSPEND_FAILS).isPresent()
        ? StreamMode.ABORT_BEFORE_SAVE
        : fault.map(f -> switch (f) {
          case STREAM_BROKEN -> StreamMode.BROKEN;
          case TARGET_STARTUP_FAILS -> StreamMode.STARTUP_FAILS;
          case FINAL_HANDSHAKE_LOST -> StreamMode.HANDSHAKE_LOST;
          default -> StreamMode.FULL;
        }).orElse(StreamMode.FULL);
    DomainDetails details;
    synchronized (xen) {
      details = d.details();
    }
    String json = ToolstackOutputs.renderListLong(List.of(details));
    String stream = ToolstackCli.STREAM_MAGIC + " mode=" + mode + "\n" + json;
    List<String> argv = new ArrayList<>(ssh);
    if (!ssh.isEmpty()) {
      argv.add(host);
    }
    argv.addAll(List.of("xl", "migrate-receive"));
    if (paused) {
      argv.add("-p");
    }
    Command hop = Command.builder().args(argv).stdin(stream).timeout(Duration.ofMinutes(5)).build();
    if (mode != StreamMode.ABORT_BEFORE_SAVE) {
      // xl renames the outgoing domain so that the incoming one can take its name (even on the same host)
      xen.rename(d, d.name + "--migratedaway");
    }
    CommandResult r;
    try {
      r = cli.runOnThisHost(hop);
    } catch (CommandTimeoutException e) {
      resume(d);
      err.append("libxl: error: file/stream truncated reading ready message from migration receiver stream\n");
      exit.accept(1);
      return;
    }
    List<String> remote = r.stderr().lines().toList();
    if (!remote.contains(READY)) {
      resume(d);
      remote.forEach(l -> err.append(l).append('\n'));
      err.append("libxl: error: file/stream truncated reading ready message from migration receiver stream\n");
      err.append("migration transport process [").append(xen.pid()).append("] exited with error status ")
          .append(r.exitCode() == 0 ? 1 : r.exitCode()).append('\n');
      exit.accept(1);
      return;
    }
    String saving = "Saving to migration stream new xl format (info 0x3/0x0/" + json.length() + ")";
    String savingDomain = "xc: info: Saving domain " + d.id + ", type x86 " + ToolstackCli.typeWord(d.type);
    for (String l : remote) {
      err.append(l).append('\n');
      if (l.equals(READY)) {
        err.append(saving).append('\n');
        if (mode == StreamMode.ABORT_BEFORE_SAVE) {
          break;
        }
      } else if (l.equals(PARSING)) {
        err.append(savingDomain).append('\n');
      } else if (l.equals(TRANSFER_COMPLETE)) {
        err.append("migration sender: Target has acknowledged transfer.\n");
        err.append("migration sender: Giving target permission to start.\n");
        synchronized (xen) {
          // the target has everything: the sender's copy is suspended until it hears back
          d.suspended = true;
        }
      }
    }
    boolean remoteOk = r.exitCode() == 0 && remote.stream().anyMatch(l -> l.startsWith("migration target: Domain started"));
    switch (mode) {
      case ABORT_BEFORE_SAVE -> {
        if (!dirtyTracking) {
          err.append("xc: error: Failed to enable logdirty: 95,22,0 (22 = Invalid argument): Internal error\n");
        } else {
          err.append("migration sender: libxl_domain_suspend failed (rc=-3)\n");
        }
        err.append("Migration failed, failed to suspend at sender.\n");
        exit.accept(1);
      }
      case HANDSHAKE_LOST -> {
        err.append("** Migration failed during final handshake **\n")
            .append("Domain state is now undefined !\n")
            .append("Please CHECK AT BOTH ENDS for running instances, before renaming and\n")
            .append(" resuming at most one instance.  Two simultaneous instances of the domain\n")
            .append(" would probably result in SEVERE DATA LOSS and it is now your\n")
            .append(" responsibility to avoid that.  Sorry.\n");
        if (!remoteOk) {
          resume(d);
        }
        exit.accept(1);
      }
      case STARTUP_FAILS -> {
        err.append("migration sender: Target reports startup failure (status code 1).\n")
            .append("migration sender: Trying to resume at our end.\n")
            .append("migration sender: Resumed OK.\n")
            .append("Migration failed due to problems at target.\n");
        resume(d);
        exit.accept(1);
      }
      default -> {
        if (remoteOk) {
          err.append("migration sender: Target reports successful startup.\n").append("Migration successful.\n");
          xen.destroy(d);
          exit.accept(0);
        } else {
          resume(d);
          err.append("Migration failed, resuming at sender.\n");
          exit.accept(1);
        }
      }
    }
  }

  private void resume(SimDomain d) {
    synchronized (xen) {
      if (d.name.endsWith("--migratedaway")) {
        xen.rename(d, d.name.substring(0, d.name.length() - "--migratedaway".length()));
      }
      d.suspended = false;
    }
  }

  private static void usage(StringBuilder err, IntConsumer exit) {
    err.append("Usage: xl [-vfNtT] migrate [options] <Domain> <host>\n");
    exit.accept(2);
  }

  // ------------------------------------------------------------------ receiver

  void receive(List<String> args, String stdin, StringBuilder err, IntConsumer exit) {
    boolean paused = args.contains("-p");
    err.append(READY).append('\n');
    int nl = stdin.indexOf('\n');
    if (nl < 0 || !stdin.startsWith(ToolstackCli.STREAM_MAGIC + " mode=")) {
      err.append("Savefile truncated.\n");
      exit.accept(1);
      return;
    }
    StreamMode mode = StreamMode.valueOf(stdin.substring((ToolstackCli.STREAM_MAGIC + " mode=").length(), nl).strip());
    if (mode == StreamMode.ABORT_BEFORE_SAVE) {
      err.append("Savefile truncated.\n");
      exit.accept(1);
      return;
    }
    String json = stdin.substring(nl + 1);
    DomainDetails details = ToolstackOutputs.parseListLongJson(json, "<incoming migration stream>").get(0);
    String name = details.rawName();
    String type = details.guestType().orElse("pv");
    err.append("Loading new save file <incoming migration stream> (new xl fmt info 0x3/0x0/").append(json.length())
        .append(")\n");
    err.append(" Savefile contains xl domain config in JSON format\n");
    err.append(PARSING).append('\n');
    SimDomain d;
    try {
      d = xen.create(details.toConfig(Dialect.XL), true, name + "--incoming");
    } catch (Refusal r) {
      StringBuilder why = new StringBuilder();
      cli.say(r, why, code -> { });
      err.append(why);
      err.append("migration target: Domain creation failed (code -3).\n");
      exit.accept(3);
      return;
    }
    err.append("xc: info: Found x86 ").append(ToolstackCli.typeWord(type)).append(" domain from Xen 4.17\n");
    err.append("xc: info: Restoring domain\n");
    if (mode == StreamMode.BROKEN) {
      xen.destroy(d);
      err.append("migration target: Domain creation failed (code -3).\n");
      exit.accept(3);
      return;
    }
    err.append("xc: info: Restore successful\n");
    err.append("xc: info: XenStore: mfn 0x35b97, dom 0, evt 1\n");
    err.append("xc: info: Console: mfn 0x35b96, dom 0, evt 2\n");
    err.append(TRANSFER_COMPLETE).append('\n');
    err.append("migration target: Got permission, starting domain.\n");
    boolean clash;
    synchronized (xen) {
      clash = xen.byName(name).isPresent();
      if (mode != StreamMode.STARTUP_FAILS && !clash) {
        xen.rename(d, name);
        d.paused = paused;
      }
    }
    if (mode == StreamMode.STARTUP_FAILS || clash) {
      if (clash) {
        err.append("migration target (Rename): Failed to rename domain from ").append(name).append("--incoming to ")
            .append(name).append(":-6\n");
      }
      xen.destroy(d);
      err.append("migration target: Failure, destroying our copy.\n");
      err.append("migration target: Cleanup OK, granting sender permission to resume.\n");
      exit.accept(1);
      return;
    }
    err.append("migration target: Domain started successsfully.\n");
    exit.accept(0);
  }

  /** Shell words, as {@code sh} splits the ssh command xl hands it: quotes and backslashes, no expansion. */
  static final class ShellWords {
    private ShellWords() {}

    /** The words, or null for text the simulated shell does not take (unbalanced quotes). */
    static List<String> split(String s) {
      List<String> out = new ArrayList<>();
      StringBuilder w = new StringBuilder();
      boolean inWord = false;
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '\'') {
          int end = s.indexOf('\'', i + 1);
          if (end < 0) {
            return null;
          }
          w.append(s, i + 1, end);
          i = end;
          inWord = true;
        } else if (c == '"') {
          int j = i + 1;
          for (; j < s.length() && s.charAt(j) != '"'; j++) {
            if (s.charAt(j) == '\\' && j + 1 < s.length()) {
              j++;
            }
            w.append(s.charAt(j));
          }
          if (j >= s.length()) {
            return null;
          }
          i = j;
          inWord = true;
        } else if (c == '\\' && i + 1 < s.length()) {
          w.append(s.charAt(++i));
          inWord = true;
        } else if (Character.isWhitespace(c)) {
          if (inWord) {
            out.add(w.toString());
            w.setLength(0);
            inWord = false;
          }
        } else {
          w.append(c);
          inWord = true;
        }
      }
      if (inWord) {
        out.add(w.toString());
      }
      return out;
    }

    static String join(List<String> words) {
      return ShellQuoting.join(words);
    }
  }
}
