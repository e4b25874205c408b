package dev.midplane.xen;

import dev.midplane.core.NotFoundException;
import dev.midplane.core.exec.ShellQuoting;
import java.util.List;

/** The toolstack has no domain of that name on this host; carries the command and its message. */
public class DomainNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;
  private final String host;
  private final List<String> argv;
  private final String stderr;

  public DomainNotFoundException(String domain, String host, List<String> argv, String stderr) {
    super("Xen domain", domain, "on " + host + ": `" + ShellQuoting.join(argv) + "` says: " + stderr.strip());
    this.host = host;
    this.argv = List.copyOf(argv);
    this.stderr = stderr;
  }

  public String host() {
    return host;
  }

  public List<String> argv() {
    return argv;
  }

  /** What the toolstack printed. */
  public String stderr() {
    return stderr;
  }
}
