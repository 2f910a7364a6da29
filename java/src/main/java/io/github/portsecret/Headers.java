package io.github.portsecret;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The headers of an HTTP request, in order, as {@link Decryptor#openWebhook} takes them: a name
 * may repeat, names in any case, values as raw bytes. Only {@code x-port-signature} and
 * {@code x-port-timestamp} are read by the core; passing every header is fine.
 *
 * <p>A value given as a {@code String} is turned back into the bytes that arrived: servlet
 * containers and most HTTP libraries decode header bytes as ISO-8859-1, so a value whose
 * characters all fit in ISO-8859-1 is encoded with it, anything else as UTF-8 (Port's headers are
 * ASCII, where both agree). Not thread-safe while being filled; read-only once passed.
 */
public final class Headers {
  final List<String> names = new ArrayList<>();
  final List<byte[]> values = new ArrayList<>();

  /** No headers. */
  public Headers() {}

  /** Every name and each of its values, in the map's order. */
  public static Headers of(Map<String, ? extends Collection<String>> headers) {
    Headers h = new Headers();
    for (Map.Entry<String, ? extends Collection<String>> e : headers.entrySet()) {
      for (String v : e.getValue()) h.add(e.getKey(), v);
    }
    return h;
  }

  /** Adds one header (text value; see the class comment for its bytes). */
  public Headers add(String name, String value) {
    Objects.requireNonNull(value, "value");
    boolean latin1 = true;
    for (int i = 0; i < value.length() && latin1; i++) latin1 = value.charAt(i) <= 0xff;
    return add(name, value.getBytes(latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
  }

  /** Adds one header with its raw value bytes. */
  public Headers add(String name, byte[] value) {
    names.add(Objects.requireNonNull(name, "name"));
    values.add(Objects.requireNonNull(value, "value").clone());
    return this;
  }

  /** The number of headers. */
  public int size() {
    return names.size();
  }

  /** The names, in order (for logs: values are not shown). */
  public List<String> names() {
    return Collections.unmodifiableList(names);
  }

  @Override
  public String toString() {
    return "Headers" + names;
  }
}
