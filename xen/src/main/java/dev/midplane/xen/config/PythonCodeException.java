package dev.midplane.xen.config;

import dev.midplane.xen.text.ParseFailedException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A domain config holds Python code, not only data: imports, conditionals, function calls,
 * {@code %} formatting, {@code +} concatenation, references to variables. Its settings are only
 * known by running it, so the SDK does not guess: this lists every such construct with its line.
 * {@link #line()} is the first one's.
 */
public class PythonCodeException extends ParseFailedException {
  private static final long serialVersionUID = 1L;

  /** One piece of Python code: where it is and what it is. */
  public record Construct(int line, int column, String lineText, String what) {
    @Override
    public String toString() {
      return "line " + line + ": " + what + ": " + lineText.strip();
    }
  }

  private final List<Construct> constructs;

  PythonCodeException(String source, List<Construct> constructs, Dialect dialect) {
    super(source, constructs.get(0).line(), constructs.get(0).column(), constructs.get(0).lineText(),
        summary(constructs, dialect));
    this.constructs = List.copyOf(constructs);
  }

  private static String summary(List<Construct> constructs, Dialect dialect) {
    String head = dialect == Dialect.XL
        ? "not xl.cfg syntax but Python code (xl accepts only key = value settings of strings, numbers and lists)"
        : "the file is Python code, not only settings; its values are only known by running it";
    return head + ":\n    " + constructs.stream().map(Construct::toString).collect(Collectors.joining("\n    "));
  }

  /** Every Python construct found, in file order. */
  public List<Construct> constructs() {
    return constructs;
  }
}
