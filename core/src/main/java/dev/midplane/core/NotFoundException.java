package dev.midplane.core;

/** The object an operation names (a map, a bond, a domain, a sysfs attribute) does not exist. */
public class NotFoundException extends MidplaneException {
  private static final long serialVersionUID = 1L;
  private final String kind;
  private final String object;

  public NotFoundException(String kind, String object, String detail) {
    super(kind + " '" + object + "' not found" + (detail == null || detail.isEmpty() ? "" : ": " + detail));
    this.kind = kind;
    this.object = object;
  }

  /** What sort of object was looked for, e.g. {@code "multipath map"}. */
  public String kind() {
    return kind;
  }

  /** The name that was looked for. */
  public String object() {
    return object;
  }
}
