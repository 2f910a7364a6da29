// Cross-path runner, Java: every shared vector through every entry point of the Java binding
// (java/, JNA over libport_secret), one JSON line per call (see ../compare.py for the format).
// It reads the vector files itself with the small JSON reader below, and hands JSON-valued
// arguments (properties, userInputs, options) to the library as their exact text in the file.
//
//   java -cp <classes>:<jna.jar> -Dport_secret.library.path=<libport_secret.so> \
//     CrossPath <tests/vectors dir> <out.jsonl>
import io.github.portsecret.Decryptor;
import io.github.portsecret.Delivery;
import io.github.portsecret.Headers;
import io.github.portsecret.PortSecret;
import io.github.portsecret.PortSecretException;
import io.github.portsecret.RunOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

public final class CrossPath {
  // ------------------------------------------------------------------ a small JSON reader

  static final class J {
    char type; // n(ull) b(ool) d(igits) s(tring) a(rray) o(bject)
    String text; // the value's text in the file
    String str;
    boolean bool;
    List<J> items = new ArrayList<>();
    LinkedHashMap<String, J> map = new LinkedHashMap<>();

    J get(String key) {
      return map.get(key);
    }

    String s(String key) {
      J v = map.get(key);
      return v == null ? null : v.str;
    }

    long num(String key, long dflt) {
      J v = map.get(key);
      return v == null ? dflt : Long.parseLong(v.text);
    }
  }

  static final class Reader {
    final String src;
    int p;

    Reader(String src) {
      this.src = src;
    }

    void ws() {
      while (p < src.length() && " \t\r\n".indexOf(src.charAt(p)) >= 0) p++;
    }

    J value() {
      ws();
      J v = new J();
      int start = p;
      char c = src.charAt(p);
      if (c == '"') {
        v.type = 's';
        v.str = string();
      } else if (c == '{' || c == '[') {
        v.type = c == '{' ? 'o' : 'a';
        char close = c == '{' ? '}' : ']';
        p++;
        ws();
        if (src.charAt(p) == close) {
          p++;
        } else {
          while (true) {
            if (v.type == 'o') {
              ws();
              String key = string();
              ws();
              expect(':');
              v.map.put(key, value());
            } else {
              v.items.add(value());
            }
            ws();
            if (src.charAt(p) == ',') {
              p++;
              continue;
            }
            expect(close);
            break;
          }
        }
      } else if (src.startsWith("true", p) || src.startsWith("false", p)) {
        v.type = 'b';
        v.bool = c == 't';
        p += v.bool ? 4 : 5;
      } else if (src.startsWith("null", p)) {
        v.type = 'n';
        p += 4;
      } else {
        v.type = 'd';
        while (p < src.length() && "+-0123456789.eE".indexOf(src.charAt(p)) >= 0) p++;
        if (p == start) throw new IllegalArgumentException("bad JSON at " + p);
      }
      v.text = src.substring(start, p);
      return v;
    }

    void expect(char c) {
      if (src.charAt(p) != c) throw new IllegalArgumentException("expected " + c + " at " + p);
      p++;
    }

    String string() {
      expect('"');
      StringBuilder b = new StringBuilder();
      while (true) {
        char c = src.charAt(p++);
        if (c == '"') return b.toString();
        if (c != '\\') {
          b.append(c);
          continue;
        }
        char e = src.charAt(p++);
        switch (e) {
          case 'b': b.append('\b'); break;
          case 'f': b.append('\f'); break;
          case 'n': b.append('\n'); break;
          case 'r': b.append('\r'); break;
          case 't': b.append('\t'); break;
          case 'u': b.append((char) Integer.parseInt(src.substring(p, p + 4), 16)); p += 4; break;
          default: b.append(e);
        }
      }
    }

    static J parse(String text) {
      Reader r = new Reader(text);
      J v = r.value();
      r.ws();
      if (r.p != text.length()) throw new IllegalArgumentException("trailing text");
      return v;
    }
  }

  /** Equal as JSON values: key order too; integers by digits, other numbers by value. */
  static boolean same(J a, J b) {
    if (a.type != b.type) return false;
    switch (a.type) {
      case 'n': return true;
      case 'b': return a.bool == b.bool;
      case 's': return a.str.equals(b.str);
      case 'd': {
        boolean ia = !a.text.matches(".*[.eE].*"), ib = !b.text.matches(".*[.eE].*");
        if (ia && ib) return a.text.equals(b.text);
        double x = Double.parseDouble(a.text), y = Double.parseDouble(b.text);
        return Double.compare(x, y) == 0;
      }
      case 'a': {
        if (a.items.size() != b.items.size()) return false;
        for (int i = 0; i < a.items.size(); i++) if (!same(a.items.get(i), b.items.get(i))) return false;
        return true;
      }
      default: {
        if (!new ArrayList<>(a.map.keySet()).equals(new ArrayList<>(b.map.keySet()))) return false;
        for (String k : a.map.keySet()) if (!same(a.map.get(k), b.map.get(k))) return false;
        return true;
      }
    }
  }

  static boolean sameText(String got, J want) {
    try {
      return got != null && want != null && same(Reader.parse(got), want);
    } catch (RuntimeException e) {
      return false;
    }
  }

  // ------------------------------------------------------------------ the runner

  final Path root;
  final StringBuilder out = new StringBuilder();
  int count;
  final Map<String, String> keys = new HashMap<>();

  CrossPath(Path root) {
    this.root = root;
  }

  String key(String name) {
    return keys.computeIfAbsent(name, n -> {
      try {
        return Files.readString(root.resolve("keys").resolve(n));
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }

  void emit(String vid, String path, String kind, String code, String input) {
    out.append("{\"vector\":").append(quote(vid)).append(",\"path\":").append(quote("java:" + path))
        .append(",\"kind\":").append(quote(kind)).append(",\"code\":").append(quote(code))
        .append(",\"input\":").append(input == null ? "null" : quote(input)).append("}\n");
    count++;
  }

  void skip(String vid, String reason) {
    out.append("{\"vector\":").append(quote(vid)).append(",\"path\":\"java:*\",\"skip\":")
        .append(quote(reason)).append("}\n");
  }

  /** Runs call and records ok / wrong_output / the error's code. */
  <T> void call(String vid, String path, String kind, Supplier<T> call, Predicate<T> check) {
    T got;
    try {
      got = call.get();
    } catch (PortSecretException e) {
      emit(vid, path, kind, e.getCode(), e.getInput());
      return;
    } catch (RuntimeException e) {
      emit(vid, path, kind, "exception:" + e.getClass().getSimpleName(), null);
      return;
    }
    emit(vid, path, kind, check.test(got) ? "ok" : "wrong_output", null);
  }

  static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : b) s.append(String.format("%02x", x & 0xff));
    return s.toString();
  }

  static Predicate<byte[]> bytes(J t) {
    return got -> got != null && t.s("plaintextHex") != null && hex(got).equals(t.s("plaintextHex"));
  }

  static Predicate<String> text(J t) {
    return got -> got != null && got.equals(t.s("plaintext"));
  }

  static Predicate<String> json(J t) {
    return got -> t.s("plaintext") != null && sameText(got, Reader.parse(t.s("plaintext")));
  }

  static boolean jsonApplies(J t) {
    if ("invalid".equals(t.s("result"))) return true;
    for (J f : t.get("flags").items) if ("JsonObject".equals(f.str)) return true;
    return false;
  }

  /** A Decryptor per call; its builder's error is the path's result. */
  <T> Supplier<T> with(Supplier<Decryptor> make, java.util.function.Function<Decryptor, T> use) {
    return () -> {
      try (Decryptor d = make.get()) {
        return use.apply(d);
      }
    };
  }

  void decryptorPaths(String vid, J t, Supplier<Decryptor> make, String value, String enc) {
    call(vid, "Decryptor.decryptBytes", "bytes", with(make, d -> d.decryptBytes(value, enc)), bytes(t));
    call(vid, "Decryptor.decrypt", "text", with(make, d -> d.decrypt(value, enc)), text(t));
    if (jsonApplies(t)) {
      call(vid, "Decryptor.decryptJson", "json", with(make, d -> d.decryptJson(value, enc)), json(t));
    }
  }

  void aes256Gcm(String vid, J t) {
    String v = t.s("value"), secret = t.s("clientSecret");
    call(vid, "decryptAes256Gcm", "text", () -> PortSecret.decryptAes256Gcm(v, secret), text(t));
    call(vid, "decryptAes256GcmBytes", "bytes", () -> PortSecret.decryptAes256GcmBytes(v, secret), bytes(t));
    decryptorPaths(vid, t, () -> Decryptor.builder().clientSecret(secret).build(), v, "aes256-gcm");
  }

  void clientSide(String vid, J t) {
    String v = t.s("value"), pem = key(t.s("privateKey"));
    call(vid, "decryptClientSide", "text", () -> PortSecret.decryptClientSide(v, pem), text(t));
    call(vid, "decryptClientSideBytes", "bytes", () -> PortSecret.decryptClientSideBytes(v, pem), bytes(t));
    String enc = t.s("publicKey") == null ? "client-side"
        : "{\"algorithm\":\"client-side\",\"key\":" + quote(key(t.s("publicKey"))) + "}";
    decryptorPaths(vid, t, () -> Decryptor.builder().privateKeyPem(pem).build(), v, enc);
  }

  void fernet(String vid, J t) {
    String tok = t.s("token"), secret = t.s("clientSecret");
    long ttl = t.num("ttl", 0);
    if (t.get("now") != null) {
      Instant now = Instant.ofEpochSecond(t.num("now", 0));
      call(vid, "decryptFernetBytes(now)", "bytes", () -> PortSecret.decryptFernetBytes(tok, secret, ttl, now), bytes(t));
      return;
    }
    call(vid, "decryptFernet", "text", () -> PortSecret.decryptFernet(tok, secret), text(t));
    call(vid, "decryptFernetBytes", "bytes", () -> PortSecret.decryptFernetBytes(tok, secret, ttl), bytes(t));
    decryptorPaths(vid, t, () -> Decryptor.builder().clientSecret(secret).build(), tok, "fernet");
  }

  void signature(String vid, J t) {
    byte[] body = t.s("body").getBytes(StandardCharsets.UTF_8);
    Instant now = Instant.ofEpochSecond(t.num("now", 0));
    // Decryptor.verifySignature has no clock parameter: not applicable to these tests.
    call(vid, "verifySignature(now)", "verify", () -> {
      PortSecret.verifySignature(body, t.s("signature"), t.s("timestamp"), t.s("clientSecret"), t.num("tolerance", 0), now);
      return Boolean.TRUE;
    }, x -> true);
  }

  Supplier<Decryptor> runDecryptor(J t) {
    return () -> {
      Decryptor.Builder b = Decryptor.builder().clientSecret(t.s("clientSecret"));
      if (t.s("privateKey") != null) b.privateKeyPem(key(t.s("privateKey")));
      return b.build();
    };
  }

  void properties(String vid, J t) {
    call(vid, "Decryptor.decryptProperties", "properties",
        with(runDecryptor(t), d -> d.decryptProperties(t.get("properties").text, t.get("userInputs").text)),
        got -> sameText(got, t.get("expected")));
  }

  void run(String vid, J t) {
    J o = t.get("options");
    if (o.get("maxBody") != null && o.num("maxBody", 0) == 0
        || o.get("maxClientSideInputs") != null && o.num("maxClientSideInputs", 0) == 0) {
      skip(vid, "0 means the default in Java");
      return;
    }
    RunOptions.Builder b = RunOptions.builder().nowEpochSeconds(t.num("now", 0));
    if ("agent".equals(t.s("delivery"))) b.delivery(Delivery.AGENT);
    if (o.get("verifySignature") != null) b.verifySignature(o.get("verifySignature").bool);
    if (o.get("tolerance") != null) b.toleranceSeconds(o.num("tolerance", 0));
    if (o.get("userInputs") != null) b.userInputsJson(o.get("userInputs").text);
    if (o.get("userInputsPointer") != null) b.userInputsPointer(o.s("userInputsPointer"));
    if (o.get("propertiesPointer") != null) b.propertiesPointer(o.s("propertiesPointer"));
    if (o.get("defaultEncryption") != null) b.defaultEncryption(o.get("defaultEncryption").text);
    if (o.get("maxBody") != null) b.maxBody(o.num("maxBody", 0));
    if (o.get("maxClientSideInputs") != null) b.maxClientSideInputs(o.num("maxClientSideInputs", 0));
    RunOptions options = b.build();
    byte[] body;
    if (t.s("bodyHex") != null) {
      String h = t.s("bodyHex");
      body = new byte[h.length() / 2];
      for (int i = 0; i < body.length; i++) body[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    } else {
      body = t.s("body").getBytes(StandardCharsets.UTF_8);
    }
    Predicate<String> ok = got -> sameText(got, t.get("expected"));
    if ("kafka".equals(t.s("delivery"))) {
      call(vid, "Decryptor.openKafkaMessage", "run", with(runDecryptor(t), d -> d.openKafkaMessage(body, options)), ok);
      return;
    }
    Headers headers = new Headers();
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (J pair : t.get("headers").items) {
      headers.add(pair.items.get(0).str, pair.items.get(1).str);
      map.computeIfAbsent(pair.items.get(0).str, k -> new ArrayList<>()).add(pair.items.get(1).str);
    }
    call(vid, "Decryptor.openWebhook(Headers)", "run", with(runDecryptor(t), d -> d.openWebhook(body, headers, options)), ok);
    call(vid, "Decryptor.openWebhook(Map)", "run", with(runDecryptor(t), d -> d.openWebhook(body, map, options)), ok);
  }

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args[0]);
    CrossPath r = new CrossPath(root);
    int files = 0, tests = 0;
    for (String sub : new String[] {"aes256_gcm", "client_side", "fernet", "signature", "properties", "runs"}) {
      List<Path> names = new ArrayList<>();
      try (var s = Files.list(root.resolve(sub))) {
        s.filter(p -> p.getFileName().toString().endsWith("_test.json")).sorted().forEach(names::add);
      }
      for (Path name : names) {
        J doc = Reader.parse(Files.readString(name, StandardCharsets.UTF_8));
        if (!"port-secret-vectors/v1".equals(doc.s("schema"))) throw new IllegalStateException(name + ": unknown schema");
        files++;
        String format = doc.s("format");
        for (J t : doc.get("tests").items) {
          tests++;
          String vid = sub + "/" + name.getFileName() + "#" + t.get("tcId").text;
          switch (format) {
            case "aes256-gcm": r.aes256Gcm(vid, t); break;
            case "client-side": r.clientSide(vid, t); break;
            case "fernet": r.fernet(vid, t); break;
            case "signature": r.signature(vid, t); break;
            case "properties": r.properties(vid, t); break;
            case "run": r.run(vid, t); break;
            default: r.skip(vid, "unknown format");
          }
        }
      }
    }
    Files.writeString(Path.of(args[1]), r.out.toString(), StandardCharsets.UTF_8);
    System.out.printf("java (%s): %d files, %d tests, %d checks%n", PortSecret.version(), files, tests, r.count);
  }
}
