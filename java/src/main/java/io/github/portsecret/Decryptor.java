package io.github.portsecret;

import static io.github.portsecret.NativeLib.arg;
import static io.github.portsecret.NativeLib.check;
import static io.github.portsecret.NativeLib.data;
import static io.github.portsecret.NativeLib.take;
import static io.github.portsecret.NativeLib.takeText;
import static io.github.portsecret.NativeLib.wipe;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Decrypts Port secret inputs and opens whole runs, with client secrets and RSA private keys
 * parsed once ({@code PortSecretDecryptor} in C).
 *
 * <pre>{@code
 * try (Decryptor d = Decryptor.builder().clientSecret(secret).privateKeyPem(pem).build()) {
 *   String run = d.openWebhook(rawBody, headers);      // the run as JSON, secrets decrypted
 * }
 * }</pre>
 *
 * <p><b>Thread-safe</b>: one instance serves every thread at once (the native decryptor is
 * immutable). {@link #close()} waits for calls in progress, frees the native keys, and makes
 * later calls throw {@link IllegalStateException}; a decryptor never closed is freed when it is
 * garbage collected. {@link #toString()} never shows a key.
 */
public final class Decryptor implements AutoCloseable {
  private static final Cleaner CLEANER = Cleaner.create();

  /** The default cap on an encoded value's length, in bytes (1 MiB). */
  public static final long DEFAULT_MAX_INPUT_LEN = 1_048_576;

  // PortSecretDecryptorOptions on LP64 / LLP64 (the C layout, fields at their natural
  // alignment). port_secret_decryptor_options_init refuses another size, so a wrong layout here
  // fails every build() with invalid_argument instead of passing wrong fields.
  static final int OFF_CLIENT_SECRETS = 8;
  static final int OFF_CLIENT_SECRETS_LEN = 16;
  static final int OFF_PRIVATE_KEYS = 24;
  static final int OFF_PRIVATE_KEYS_LEN = 32;
  static final int OFF_MAX_INPUT_LEN = 40;
  static final int OFF_FERNET_TTL = 48;
  static final int OFF_HAS_FERNET_TTL = 56;
  static final int OPTIONS_SIZE = 64;

  private final Pointer handle;
  private final int clientSecretCount;
  private final int privateKeyCount;
  // Calls hold the read lock (shared); close() takes the write lock, so the native decryptor is
  // never freed under a call in progress.
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;
  private final Cleaner.Cleanable cleanable;

  /** Frees the native decryptor once: from close(), or from the Cleaner if never closed. */
  private static final class Free implements Runnable {
    private final Pointer handle;

    Free(Pointer handle) {
      this.handle = handle;
    }

    @Override
    public void run() {
      NativeLib.port_secret_decryptor_free(handle);
    }
  }

  private Decryptor(List<String> clientSecrets, List<String> privateKeys, long maxInputLen,
      Long fernetTtlSeconds) {
    NativeLib.ready();
    List<Memory> owned = new ArrayList<>();
    try (Memory options = new Memory(OPTIONS_SIZE)) {
      check(NativeLib.port_secret_decryptor_options_init(options, OPTIONS_SIZE));
      options.setPointer(OFF_CLIENT_SECRETS, strings(clientSecrets, owned, "clientSecret"));
      options.setLong(OFF_CLIENT_SECRETS_LEN, clientSecrets.size());
      options.setPointer(OFF_PRIVATE_KEYS, strings(privateKeys, owned, "privateKeyPem"));
      options.setLong(OFF_PRIVATE_KEYS_LEN, privateKeys.size());
      options.setLong(OFF_MAX_INPUT_LEN, maxInputLen);
      if (fernetTtlSeconds != null) {
        options.setByte(OFF_HAS_FERNET_TTL, (byte) 1);
        options.setLong(OFF_FERNET_TTL, fernetTtlSeconds);
      }
      long[] out = new long[1];
      check(NativeLib.port_secret_decryptor_new_with(options, out));
      handle = new Pointer(out[0]);
    } finally {
      for (Memory m : owned) {
        m.clear(); // the copies of the secrets and keys, zeroed
        m.close();
      }
    }
    clientSecretCount = clientSecrets.size();
    privateKeyCount = privateKeys.size();
    cleanable = CLEANER.register(this, new Free(handle));
  }

  /** A {@code const char *const *} array in native memory (null when empty). */
  private static Pointer strings(List<String> list, List<Memory> owned, String what) {
    if (list.isEmpty()) return null;
    Memory array = new Memory(8L * list.size());
    owned.add(array);
    for (int i = 0; i < list.size(); i++) {
      byte[] b = arg(list.get(i), what);
      Memory m = new Memory(b.length);
      owned.add(m);
      m.write(0, b, 0, b.length);
      wipe(b);
      array.setPointer(8L * i, m);
    }
    return array;
  }

  /** A builder: add client secrets and/or private keys (at least one key in all). */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Decryptor}. */
  public static final class Builder {
    private final List<String> clientSecrets = new ArrayList<>();
    private final List<String> privateKeys = new ArrayList<>();
    private long maxInputLen = DEFAULT_MAX_INPUT_LEN;
    private Long fernetTtlSeconds;

    private Builder() {}

    /**
     * Adds a client secret (for aes256-gcm, fernet and webhook signatures). During a rotation add
     * the current one first: each is tried in turn.
     */
    public Builder clientSecret(String clientSecret) {
      clientSecrets.add(Objects.requireNonNull(clientSecret, "clientSecret"));
      return this;
    }

    /** Adds several client secrets, in order. */
    public Builder clientSecrets(Collection<String> secrets) {
      for (String s : secrets) clientSecret(s);
      return this;
    }

    /**
     * Adds an RSA private key PEM for client-side inputs (PKCS#8 or PKCS#1, 2048 to 4096 bits);
     * several are tried in turn, or picked by the input's public key.
     */
    public Builder privateKeyPem(String pem) {
      privateKeys.add(Objects.requireNonNull(pem, "privateKeyPem"));
      return this;
    }

    /** Adds several private key PEMs, in order. */
    public Builder privateKeyPems(Collection<String> pems) {
      for (String p : pems) privateKeyPem(p);
      return this;
    }

    /**
     * Caps the length of an encoded value, in bytes, checked before decoding (default {@link
     * #DEFAULT_MAX_INPUT_LEN}; longer values are {@code malformed}). {@link #build()} refuses 0
     * with {@code malformed}, as every language does; a negative number is an {@link
     * IllegalArgumentException} here.
     */
    public Builder maxInputLen(long bytes) {
      if (bytes < 0) throw new IllegalArgumentException("maxInputLen must not be negative");
      maxInputLen = bytes;
      return this;
    }

    /**
     * Fernet tokens older than {@code seconds} are {@code expired} (default: no TTL, as Port's
     * tokens carry none; 0 accepts only tokens of the current second).
     */
    public Builder fernetTtlSeconds(long seconds) {
      if (seconds < 0) throw new IllegalArgumentException("fernetTtlSeconds must not be negative");
      fernetTtlSeconds = seconds;
      return this;
    }

    /** {@link #fernetTtlSeconds(long)} in whole seconds (rounded down); null: no TTL. */
    public Builder fernetTtl(Duration ttl) {
      if (ttl == null) {
        fernetTtlSeconds = null;
        return this;
      }
      return fernetTtlSeconds(ttl.getSeconds());
    }

    /**
     * The decryptor: the keys are parsed and copied into native memory here (the builder keeps
     * its strings; drop it). Throws {@code malformed} for a {@code maxInputLen} of 0 (checked
     * first), {@code invalid_key} for a secret under 32 bytes, a PEM that is not a usable RSA
     * private key, or no key at all.
     */
    public Decryptor build() {
      return new Decryptor(List.copyOf(clientSecrets), List.copyOf(privateKeys), maxInputLen,
          fernetTtlSeconds);
    }
  }

  private Pointer acquire() {
    lock.readLock().lock();
    if (closed) {
      lock.readLock().unlock();
      throw new IllegalStateException("port-secret: Decryptor is closed");
    }
    return handle;
  }

  private void release() {
    lock.readLock().unlock();
    Reference.reachabilityFence(this);
  }

  /** How many client secrets this decryptor holds. */
  public int clientSecretCount() {
    return clientSecretCount;
  }

  /** How many private keys this decryptor holds. */
  public int privateKeyCount() {
    return privateKeyCount;
  }

  /**
   * Decrypts one value to text. {@code encryption} is what the action input's
   * {@code encryption} holds, as JSON text ({@code "\"aes256-gcm\""},
   * {@code {"algorithm":"client-side","key":"<PEM>"}}) or a bare name ({@code aes256-gcm},
   * {@code fernet}, {@code client-side}).
   */
  public String decrypt(String value, String encryption) {
    byte[] v = data(value, PortSecret.NOT_BASE64, "value"), e = arg(encryption, "encryption");
    long[] out = new long[2];
    Pointer d = acquire();
    try {
      check(NativeLib.port_secret_decryptor_decrypt(d, v, e, out));
    } finally {
      release();
    }
    return takeText(out);
  }

  /** As {@link #decrypt}, any plaintext bytes (never {@code invalid_utf8}). */
  public byte[] decryptBytes(String value, String encryption) {
    byte[] v = data(value, PortSecret.NOT_BASE64, "value"), e = arg(encryption, "encryption");
    long[] out = new long[2];
    Pointer d = acquire();
    try {
      check(NativeLib.port_secret_decryptor_decrypt_bytes(d, v, e, out));
    } finally {
      release();
    }
    return take(out);
  }

  /**
   * Decrypts a {@code type: object} input: its JSON text, checked and re-serialized compactly
   * (parse it with the JSON library of your choice); {@code invalid_json} when it is not JSON.
   */
  public String decryptJson(String value, String encryption) {
    byte[] v = data(value, PortSecret.NOT_BASE64, "value"), e = arg(encryption, "encryption");
    long[] out = new long[2];
    Pointer d = acquire();
    try {
      check(NativeLib.port_secret_decryptor_decrypt_json(d, v, e, out));
    } finally {
      release();
    }
    return takeText(out);
  }

  /**
   * Decrypts every secret input of a run's properties. {@code propertiesJson}: the run's
   * {@code payload.properties} as JSON text; {@code userInputsJson}: the action's
   * {@code userInputs} (with {@code properties}) or that {@code properties} map. Returns a compact
   * JSON copy of the properties with every input whose definition has {@code encryption}
   * decrypted ({@code object} ones parsed). A failing input is named in
   * {@link PortSecretException#getInput()}.
   */
  public String decryptProperties(String propertiesJson, String userInputsJson) {
    byte[] p = data(propertiesJson, '\u0001', "propertiesJson");
    byte[] u = data(userInputsJson, '\u0001', "userInputsJson");
    long[] out = new long[2], name = new long[2];
    int status;
    Pointer d = acquire();
    try {
      status = NativeLib.port_secret_decryptor_decrypt_properties(d, p, u, out, name);
    } finally {
      release();
    }
    check(status, name);
    return takeText(out);
  }

  /**
   * Verifies a webhook with any of this decryptor's client secrets, Port's default tolerance
   * (300 s): throws {@code invalid_signature} or {@code expired}. {@code body}: the raw bytes.
   */
  public void verifySignature(byte[] body, String signature, String timestamp) {
    verifySignature(body, signature, timestamp, PortSecret.DEFAULT_TOLERANCE_SECONDS);
  }

  /** As {@link #verifySignature(byte[], String, String)} with a tolerance in seconds. */
  public void verifySignature(byte[] body, String signature, String timestamp, long toleranceSeconds) {
    Objects.requireNonNull(body, "body");
    PortSecret.requireNonNegative(toleranceSeconds, "toleranceSeconds");
    byte[] sig = data(signature, PortSecret.NOT_BASE64, "signature");
    byte[] ts = data(timestamp, 'x', "timestamp");
    Pointer d = acquire();
    try {
      check(NativeLib.port_secret_decryptor_verify_signature(
          d, body, body.length, sig, ts, toleranceSeconds));
    } finally {
      release();
    }
  }

  // ---- the run ----

  /**
   * Opens a run delivered as an HTTP webhook, in one call: size cap, signature and timestamp,
   * JSON parse, the secret inputs located and decrypted in place. Returns the whole body with
   * every secret input decrypted, as compact JSON text.
   *
   * @param body the raw request body, exactly as received
   * @param headers the request's headers (names in any case)
   * @param options how to open it ({@link RunOptions#DEFAULT} for Port's webhooks)
   */
  public String openWebhook(byte[] body, Headers headers, RunOptions options) {
    byte[] json = openWebhookBytes(body, headers, options);
    try {
      return new String(json, StandardCharsets.UTF_8);
    } finally {
      wipe(json);
    }
  }

  /** {@link #openWebhook(byte[], Headers, RunOptions)} with {@link RunOptions#DEFAULT}. */
  public String openWebhook(byte[] body, Headers headers) {
    return openWebhook(body, headers, RunOptions.DEFAULT);
  }

  /** {@link #openWebhook(byte[], Headers, RunOptions)} with headers as a map (name to values). */
  public String openWebhook(byte[] body, Map<String, ? extends Collection<String>> headers,
      RunOptions options) {
    return openWebhook(body, Headers.of(headers), options);
  }

  /** {@link #openWebhook(byte[], Map, RunOptions)} with {@link RunOptions#DEFAULT}. */
  public String openWebhook(byte[] body, Map<String, ? extends Collection<String>> headers) {
    return openWebhook(body, Headers.of(headers), RunOptions.DEFAULT);
  }

  /**
   * As {@link #openWebhook(byte[], Headers, RunOptions)}, the run as UTF-8 JSON bytes (for a
   * JSON parser that reads bytes; the caller may zero the array when done).
   */
  public byte[] openWebhookBytes(byte[] body, Headers headers, RunOptions options) {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(options, "options");
    long[] out = new long[2], name = new long[2];
    int status;
    try (NativeHeaders h = new NativeHeaders(headers)) {
      Pointer d = acquire();
      try {
        status = NativeLib.port_secret_decryptor_open_webhook(
            d, body, body.length, h.pointer, h.count, options.pointer(), out, name);
      } finally {
        release();
      }
      Reference.reachabilityFence(options);
    }
    check(status, name);
    return take(out);
  }

  /**
   * Opens a run delivered as one message value of Port's Kafka topic (signature and timestamp
   * inside it): returns the whole message with every secret input decrypted, as compact JSON.
   */
  public String openKafkaMessage(byte[] message, RunOptions options) {
    byte[] json = openKafkaMessageBytes(message, options);
    try {
      return new String(json, StandardCharsets.UTF_8);
    } finally {
      wipe(json);
    }
  }

  /** {@link #openKafkaMessage(byte[], RunOptions)} with {@link RunOptions#DEFAULT}. */
  public String openKafkaMessage(byte[] message) {
    return openKafkaMessage(message, RunOptions.DEFAULT);
  }

  /** As {@link #openKafkaMessage(byte[], RunOptions)}, the run as UTF-8 JSON bytes. */
  public byte[] openKafkaMessageBytes(byte[] message, RunOptions options) {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(options, "options");
    long[] out = new long[2], name = new long[2];
    int status;
    Pointer d = acquire();
    try {
      status = NativeLib.port_secret_decryptor_open_kafka_message(
          d, message, message.length, options.pointer(), out, name);
    } finally {
      release();
    }
    Reference.reachabilityFence(options);
    check(status, name);
    return take(out);
  }

  /**
   * Frees the native decryptor (its keys are zeroed). Waits for calls in progress; later calls
   * throw {@link IllegalStateException}. Closing twice is harmless.
   */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) return;
      closed = true;
      cleanable.clean();
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "Decryptor[clientSecrets=" + clientSecretCount + ", privateKeys=" + privateKeyCount
        + (closed ? ", closed" : "") + "]";
  }

  /** A {@code PortSecretHeader[]} in native memory for one call, freed by close(). */
  private static final class NativeHeaders implements AutoCloseable {
    private static final int ENTRY = 24; // const char *name; const uint8_t *value; size_t len
    final Memory memory;
    final Pointer pointer;
    final long count;

    NativeHeaders(Headers headers) {
      List<byte[]> names = new ArrayList<>(headers.size());
      List<byte[]> values = new ArrayList<>(headers.size());
      long size = 0;
      for (int i = 0; i < headers.size(); i++) {
        // A name with a NUL cannot be one of Port's: it is left out (the core ignores others).
        byte[] n = NativeLib.cstr(headers.names.get(i));
        if (n == null) continue;
        names.add(n);
        values.add(headers.values.get(i));
        size += ENTRY + n.length + headers.values.get(i).length;
      }
      count = names.size();
      if (count == 0) {
        memory = null;
        pointer = null;
        return;
      }
      memory = new Memory(size);
      pointer = memory;
      long at = ENTRY * count;
      for (int i = 0; i < count; i++) {
        byte[] n = names.get(i), v = values.get(i);
        memory.write(at, n, 0, n.length);
        memory.setPointer((long) ENTRY * i, memory.share(at));
        at += n.length;
        if (v.length > 0) memory.write(at, v, 0, v.length);
        memory.setPointer((long) ENTRY * i + 8, v.length > 0 ? memory.share(at) : null);
        memory.setLong((long) ENTRY * i + 16, v.length);
        at += v.length;
      }
    }

    @Override
    public void close() {
      if (memory != null) memory.close();
    }
  }
}
