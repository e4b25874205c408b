package dev.midplane.core.names;

/**
 * The common shape of the names that are validated strings ({@link InterfaceName},
 * {@link DomainName}, {@link MultipathAlias}, {@link Wwid}, {@link HostName}): the canonical value,
 * equality and order by that value within one type, and {@code toString()} as the value, which is
 * what goes on a command line.
 *
 * @param <T> the concrete name type
 */
public abstract class StringName<T extends StringName<T>> implements Comparable<T> {
  private final String value;

  StringName(String value) {
    this.value = value;
  }

  /** The canonical value. */
  public final String value() {
    return value;
  }

  @Override
  public final int compareTo(T o) {
    return value.compareTo(((StringName<?>) o).value);
  }

  @Override
  public final boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && ((StringName<?>) o).value.equals(value);
  }

  @Override
  public final int hashCode() {
    return value.hashCode();
  }

  @Override
  public final String toString() {
    return value;
  }
}
