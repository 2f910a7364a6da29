package io.github.portsecret;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Reads the shared vectors of tests/vectors/ (format: tests/vectors/README.md). */
final class Vectors {
  private Vectors() {}

  static final ObjectMapper JSON = new ObjectMapper();

  static Path dir() {
    String p = System.getProperty("port_secret.vectors");
    return p != null ? Paths.get(p) : Paths.get("..", "tests", "vectors");
  }

  /** One test of one file. */
  record Case(String file, JsonNode test) {
    String id() {
      return file + "#" + test.get("tcId").asInt();
    }

    String str(String field) {
      JsonNode n = test.get(field);
      return n == null || n.isNull() ? null : n.asText();
    }

    boolean valid() {
      return "valid".equals(str("result"));
    }

    boolean has(String field) {
      return test.has(field);
    }

    List<String> flags() {
      List<String> out = new ArrayList<>();
      test.path("flags").forEach(f -> out.add(f.asText()));
      return out;
    }

    @Override
    public String toString() {
      return id();
    }
  }

  /** Every test of the files {@code <sub>/*_test.json}, in file order. */
  static List<Case> load(String sub, String format) {
    try (Stream<Path> files = Files.list(dir().resolve(sub))) {
      List<Path> paths = files.filter(p -> p.getFileName().toString().endsWith("_test.json"))
          .sorted().collect(Collectors.toList());
      List<Case> out = new ArrayList<>();
      for (Path p : paths) {
        JsonNode doc = JSON.readTree(p.toFile());
        if (!"port-secret-vectors/v1".equals(doc.path("schema").asText())) {
          throw new IllegalStateException(p + ": unknown schema");
        }
        if (!format.equals(doc.path("format").asText())) continue;
        if (doc.path("numberOfTests").asInt() != doc.path("tests").size()) {
          throw new IllegalStateException(p + ": numberOfTests differs");
        }
        for (JsonNode t : doc.path("tests")) out.add(new Case(p.getFileName().toString(), t));
      }
      if (out.isEmpty()) throw new IllegalStateException("no " + format + " vectors in " + sub);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String key(String file) {
    try {
      return Files.readString(dir().resolve("keys").resolve(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] hex(String h) {
    byte[] out = new byte[h.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  static String compact(JsonNode n) {
    try {
      return JSON.writeValueAsString(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * JSON equality that also requires the same key order; numbers compare by value (the core
   * keeps a number's spelling from the body, the vector file has Python's spelling).
   */
  static boolean sameInOrder(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      if (a.isFloatingPointNumber() && b.isFloatingPointNumber()
          && Double.compare(a.doubleValue(), b.doubleValue()) == 0) {
        return true; // includes -0.0 on both sides
      }
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) return false;
      Iterator<Map.Entry<String, JsonNode>> x = a.fields(), y = b.fields();
      while (x.hasNext()) {
        Map.Entry<String, JsonNode> p = x.next(), q = y.next();
        if (!p.getKey().equals(q.getKey()) || !sameInOrder(p.getValue(), q.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) return false;
      for (int i = 0; i < a.size(); i++) if (!sameInOrder(a.get(i), b.get(i))) return false;
      return true;
    }
    return a.equals(b);
  }
}
