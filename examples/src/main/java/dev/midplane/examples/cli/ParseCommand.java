package dev.midplane.examples.cli;

import dev.midplane.examples.json.Json;
import dev.midplane.examples.json.ParseKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code midplane parse KIND FILE...}: a command's output or a config file as JSON, one object per
 * line per file, in the order given: {@code {"file":…,"result":{…}}} or
 * {@code {"file":…,"error":"…","line":N}} ({@code line} null when the problem is not on one
 * line). Exits 0 only when every file parsed, 2 otherwise.
 */
@Command(name = "parse", mixinStandardHelpOptions = true,
    description = {
        "Turn a command's output or a config file into JSON.",
        "Paste what a host printed into a file, or give - and paste it on standard input.",
        "Prints one line per FILE: {\"file\":…,\"result\":{…}} or {\"file\":…,\"error\":\"… line …\",\"line\":N}."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every file parsed", "2:a file could not be read or parsed (its line says why), or bad usage"})
final class ParseCommand implements Callable<Integer> {
  /** A file that parsed. */
  record Parsed(String file, Object result) {}

  /** A file that did not; {@code line} is null when the problem is not on one line. */
  record Failed(String file, String error, Integer line) {}

  @ParentCommand
  private Midplane parent;

  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "KIND", description = "What the files hold (see the list above).",
      completionCandidates = Kinds.class)
  private String kindName;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE", description = "Files to parse; - reads standard input.")
  private List<String> files = new ArrayList<>();

  @Override
  public Integer call() {
    ParseKind kind = ParseKind.named(kindName).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
        "unknown KIND '" + kindName + "'; one of: " + String.join(", ", ParseKind.names())));
    PrintWriter out = spec.commandLine().getOut();
    boolean allParsed = true;
    for (String file : files) {
      Object line;
      try {
        line = new Parsed(file, kind.parse(read(file), file.equals("-") ? "standard input" : file));
      } catch (BadInputException e) {
        line = new Failed(file, e.getMessage(), null);
      } catch (RuntimeException e) {
        if (!Midplane.isBadInput(e) && !(e instanceof IllegalArgumentException)) {
          throw e;
        }
        line = new Failed(file, e.getMessage(), ParseKind.lineOf(e).orElse(null));
      }
      allParsed &= line instanceof Parsed;
      out.println(Json.line(line));
    }
    out.flush();
    return allParsed ? Midplane.OK : Midplane.BAD_INPUT;
  }

  private String read(String file) {
    try {
      byte[] bytes = file.equals("-") ? parent.environment().stdin().get().readAllBytes()
          : Files.readAllBytes(Path.of(file));
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (NoSuchFileException e) {
      throw new BadInputException("no such file: " + file);
    } catch (CharacterCodingException e) {
      throw new BadInputException(file + " is not UTF-8 text");
    } catch (IOException e) {
      throw new BadInputException("cannot read " + file + ": " + e.getMessage());
    }
  }

  /** The list of KINDs for the help, from {@link ParseKind} itself. */
  static String[] kindList() {
    return java.util.stream.Stream.concat(java.util.stream.Stream.of("", "KINDs:"),
        java.util.Arrays.stream(ParseKind.values()).map(k -> String.format("  %-15s %s", k.cliName(), k.description())))
        .toArray(String[]::new);
  }

  /** The KIND names, for help and shell completion. */
  static final class Kinds extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    Kinds() {
      super(ParseKind.names());
    }
  }
}
