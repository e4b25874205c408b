package dev.midplane.xen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.Host;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandRunner;
import dev.midplane.core.exec.LocalCommandRunner;
import dev.midplane.core.exec.OutputListener;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.exec.RecordingRunner;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.core.testkit.RequiresReal;
import dev.midplane.xen.MigrationEvent.Stage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A migration's progress arrives while it runs: a stand-in for xl replays a real migration's output
 * and, after "Ready to receive domain.", waits until the listener has heard that line.
 */
@RequiresReal(tools = "sh")
class MigrationStreamingTest {
  private static final String FAKE_XL = """
      handshake="$1"; capture="$2"
      while IFS= read -r line; do
        printf '%s\\n' "$line" >&2
        case "$line" in
          "migration target: Ready to receive domain.")
            while [ ! -e "$handshake" ]; do sleep 0.05; done;;
        esac
      done < "$capture"
      """;

  @Test
  void progressIsHeardAsTheMigrationRuns(@TempDir Path dir) throws IOException {
    Path capture = dir.resolve("capture.txt");
    Files.writeString(capture, ToolstackOutputsTest.fixture("xl-migrate-pvh-run7.txt"));
    Path handshake = dir.resolve("target-ready-heard");
    List<Command> ran = new CopyOnWriteArrayList<>();
    LocalCommandRunner local = new LocalCommandRunner();
    // The toolstack's argv goes to the stand-in instead of a real xl; lines stream through the host's runner.
    CommandRunner fakeXl = new CommandRunner() {
      @Override
      public CommandResult run(Command command) {
        return run(command, (s, l) -> { });
      }

      @Override
      public CommandResult run(Command command, OutputListener listener) {
        ran.add(command);
        return local.run(Command.builder("sh", "-c", FAKE_XL, "xl", handshake.toString(), capture.toString())
            .timeout(command.timeout().orElseThrow()).build(), listener);
      }
    };
    Host host = ScriptedHosts.blade07(RecordingRunner.wrapping(fakeXl), dir);
    Toolstack xl = Toolstack.xl(host);

    List<MigrationEvent> heard = new CopyOnWriteArrayList<>();
    MigrationResult r = xl.migrate(DomainName.of("domUpvh"), HostName.of("blade08")).progress(e -> {
      heard.add(e);
      if (e.stage() == Stage.TARGET_READY) {
        try {
          Files.createFile(handshake);
        } catch (IOException ex) {
          throw new UncheckedIOException(ex);
        }
      }
    }).call();

    assertThat(ran.get(0).argv()).containsExactly("xl", "migrate", "domUpvh", "blade08");
    assertThat(heard).extracting(MigrationEvent::stage).startsWith(Stage.CONNECTING, Stage.TARGET_READY, Stage.SENDING)
        .endsWith(Stage.STARTED, Stage.STARTED, Stage.SUCCEEDED);
    assertThat(heard).isEqualTo(r.events());
    for (int i = 1; i < heard.size(); i++) {
      assertThat(heard.get(i).elapsed()).isGreaterThanOrEqualTo(heard.get(i - 1).elapsed());
    }
  }
}
