package dev.midplane.core.chassis;

import dev.midplane.core.MidplaneException;
import dev.midplane.core.NotFoundException;
import dev.midplane.core.names.HostName;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every host's result of one chassis operation, in the chassis's host order (whatever order the
 * hosts finished in). Immutable.
 *
 * @param <T> the task's value type
 */
public final class ChassisResults<T> implements Iterable<HostResult<T>> {
  private final List<HostResult<T>> results;

  ChassisResults(List<HostResult<T>> results) {
    this.results = List.copyOf(results);
  }

  /** All results, one per host, in the chassis's order. */
  public List<HostResult<T>> all() {
    return results;
  }

  @Override
  public Iterator<HostResult<T>> iterator() {
    return results.iterator();
  }

  public int size() {
    return results.size();
  }

  /** The result of {@code host}; {@link NotFoundException} when the host was not in the operation. */
  public HostResult<T> get(HostName host) {
    return results.stream().filter(r -> r.host().equals(host)).findFirst()
        .orElseThrow(() -> new NotFoundException("host", host.value(), "not part of this chassis operation"));
  }

  public HostResult<T> get(String host) {
    return get(HostName.of(host));
  }

  public List<HostResult<T>> succeeded() {
    return results.stream().filter(HostResult::succeeded).toList();
  }

  /** The results that failed or timed out. */
  public List<HostResult<T>> failed() {
    return results.stream().filter(r -> !r.succeeded()).toList();
  }

  public List<HostResult<T>> timedOut() {
    return results.stream().filter(r -> r.outcome() == HostResult.Outcome.TIMED_OUT).toList();
  }

  public boolean allSucceeded() {
    return results.stream().allMatch(HostResult::succeeded);
  }

  /**
   * The values of the hosts that succeeded with a non-null value, by host, in chassis order.
   * Hosts that failed are absent: check {@link #failed()} or call {@link #requireAllSucceeded()}.
   */
  public Map<HostName, T> values() {
    Map<HostName, T> m = new LinkedHashMap<>();
    for (HostResult<T> r : results) {
      r.value().ifPresent(v -> m.put(r.host(), v));
    }
    return Collections.unmodifiableMap(m);
  }

  /**
   * Returns this when every host succeeded; otherwise throws a {@link MidplaneException} whose
   * message lists every failed host with its error, and whose suppressed exceptions are those
   * errors.
   */
  public ChassisResults<T> requireAllSucceeded() {
    List<HostResult<T>> bad = failed();
    if (bad.isEmpty()) {
      return this;
    }
    MidplaneException e = new MidplaneException(bad.size() + " of " + results.size() + " hosts failed: "
        + bad.stream().map(r -> r.host() + ": " + r.error().map(Throwable::getMessage).orElse("?"))
            .collect(Collectors.joining("; ")));
    bad.forEach(r -> r.error().ifPresent(e::addSuppressed));
    throw e;
  }

  /** One line per host: name, duration and outcome. */
  @Override
  public String toString() {
    return results.stream().map(HostResult::toString).collect(Collectors.joining("\n"));
  }
}
