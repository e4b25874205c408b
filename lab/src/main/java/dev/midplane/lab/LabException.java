package dev.midplane.lab;

import dev.midplane.core.MidplaneException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The lab could not build its image or run its guest. The message carries the evidence: the
 * builder's or the guest's last output lines and where the full log is.
 */
public class LabException extends MidplaneException {
  private static final long serialVersionUID = 1L;
  private final transient Path log;

  public LabException(String message, Path log, Throwable cause) {
    super(message, cause);
    this.log = log;
  }

  /** The full log (builder output or the guest's console), when there is one. */
  public Optional<Path> log() {
    return Optional.ofNullable(log);
  }
}
