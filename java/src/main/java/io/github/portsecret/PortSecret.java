package io.github.portsecret;

import static io.github.portsecret.NativeLib.arg;
import static io.github.portsecret.NativeLib.check;
import static io.github.portsecret.NativeLib.data;
import static io.github.portsecret.NativeLib.take;
import static io.github.portsecret.NativeLib.takeText;
import static io.github.portsecret.NativeLib.wipe;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * The one-shot functions of port-secret (each parses its key on every call: use a
 * {@link Decryptor} for many values). Every function may be called from any thread at any time.
 * Failures throw {@link PortSecretException} with the taxonomy code.
 */
public final class PortSecret {
  private PortSecret() {}

  /** Port's default webhook timestamp tolerance, in seconds. */
  public static final long DEFAULT_TOLERANCE_SECONDS = 300;
  /** The default cap of a run's delivery, in bytes. */
  public static final long DEFAULT_MAX_BODY = 1_048_576;
  /** The default cap of client-side inputs (with a value) in one run. */
  public static final long DEFAULT_MAX_CLIENT_SIDE_INPUTS = 64;

  // A NUL inside a value, token or signature is replaced by one of these before it crosses into
  // C (see NativeLib.data): each is outside every base64 alphabet and never part of a signature.
  static final char NOT_BASE64 = '!';

  /** The version of the loaded native library, e.g. {@code "0.1.0"}. */
  public static String version() {
    NativeLib.ready();
    return NativeLib.VERSION;
  }

  /**
   * The platform name this JVM runs on as the jar spells it (e.g. {@code linux-x86-64}): the
   * jar holds {@code io/github/portsecret/native/<platform>/libport_secret.so}.
   */
  public static String platform() {
    return NativeLib.platform();
  }

  // ---- aes256-gcm ----

  /** Decrypts an {@code aes256-gcm} value with the client secret (its first 32 bytes). */
  public static String decryptAes256Gcm(String value, String clientSecret) {
    NativeLib.ready();
    byte[] v = data(value, NOT_BASE64, "value"), s = arg(clientSecret, "clientSecret");
    long[] out = new long[2];
    try {
      check(NativeLib.port_secret_decrypt_aes256_gcm(v, s, out));
      return takeText(out);
    } finally {
      wipe(s);
    }
  }

  /** As {@link #decryptAes256Gcm}, any plaintext bytes (never {@code invalid_utf8}). */
  public static byte[] decryptAes256GcmBytes(String value, String clientSecret) {
    NativeLib.ready();
    byte[] v = data(value, NOT_BASE64, "value"), s = arg(clientSecret, "clientSecret");
    long[] out = new long[2];
    try {
      check(NativeLib.port_secret_decrypt_aes256_gcm_bytes(v, s, out));
      return take(out);
    } finally {
      wipe(s);
    }
  }

  /** Encrypts as Port's server does for an {@code aes256-gcm} input (random IV per call). */
  public static String encryptAes256Gcm(byte[] plaintext, String clientSecret) {
    NativeLib.ready();
    Objects.requireNonNull(plaintext, "plaintext");
    byte[] k = arg(clientSecret, "clientSecret");
    long[] out = new long[2];
    try {
      check(NativeLib.port_secret_encrypt_aes256_gcm(plaintext, plaintext.length, k, out));
      return takeText(out);
    } finally {
      wipe(k);
    }
  }

  /** {@link #encryptAes256Gcm(byte[], String)} of the UTF-8 of {@code plaintext}. */
  public static String encryptAes256Gcm(String plaintext, String clientSecret) {
    byte[] p = plaintext.getBytes(StandardCharsets.UTF_8);
    try {
      return encryptAes256Gcm(p, clientSecret);
    } finally {
      wipe(p);
    }
  }

  // ---- client-side ----

  /**
   * Decrypts a {@code client-side} value with an RSA private key PEM (PKCS#8 or PKCS#1, 2048 to
   * 4096 bits). The PEM is parsed on every call.
   */
  public static String decryptClientSide(String value, String privateKeyPem) {
    NativeLib.ready();
    byte[] v = data(value, NOT_BASE64, "value"), k = arg(privateKeyPem, "privateKeyPem");
    long[] out = new long[2];
    try {
      check(NativeLib.port_secret_decrypt_client_side(v, k, out));
      return takeText(out);
    } finally {
      wipe(k);
    }
  }

  /** As {@link #decryptClientSide}, any plaintext bytes. */
  public static byte[] decryptClientSideBytes(String value, String privateKeyPem) {
    NativeLib.ready();
    byte[] v = data(value, NOT_BASE64, "value"), k = arg(privateKeyPem, "privateKeyPem");
    long[] out = new long[2];
    try {
      check(NativeLib.port_secret_decrypt_client_side_bytes(v, k, out));
      return take(out);
    } finally {
      wipe(k);
    }
  }

  /** Encrypts as Port's browser does for a {@code client-side} input, with the SPKI public key PEM. */
  public static String encryptClientSide(byte[] plaintext, String publicKeyPem) {
    NativeLib.ready();
    Objects.requireNonNull(plaintext, "plaintext");
    byte[] k = arg(publicKeyPem, "publicKeyPem");
    long[] out = new long[2];
    check(NativeLib.port_secret_encrypt_client_side(plaintext, plaintext.length, k, out));
    return takeText(out);
  }

  /** {@link #encryptClientSide(byte[], String)} of the UTF-8 of {@code plaintext}. */
  public static String encryptClientSide(String plaintext, String publicKeyPem) {
    byte[] p = plaintext.getBytes(StandardCharsets.UTF_8);
    try {
      return encryptClientSide(p, publicKeyPem);
    } finally {
      wipe(p);
    }
  }

  /** A new RSA key pair (2048, 3072 or 4096 bits; other sizes are {@code invalid_key}). */
  public static KeyPair generateKeyPair(int bits) {
    NativeLib.ready();
    long[] priv = new long[2], pub = new long[2];
    check(NativeLib.port_secret_generate_key_pair(bits, priv, pub));
    String publicPem = takeText(pub);
    return new KeyPair(takeText(priv), publicPem);
  }

  /** A new 2048-bit RSA key pair. */
  public static KeyPair generateKeyPair() {
    return generateKeyPair(2048);
  }

  // ---- fernet ----

  /** Decrypts a legacy Fernet token with the client secret, without a TTL. */
  public static String decryptFernet(String token, String clientSecret) {
    return decryptFernet(token, clientSecret, 0);
  }

  /**
   * Decrypts a legacy Fernet token; with {@code ttlSeconds} &gt; 0 a token older than that is
   * {@code expired} (0: no TTL).
   */
  public static String decryptFernet(String token, String clientSecret, long ttlSeconds) {
    NativeLib.ready();
    requireNonNegative(ttlSeconds, "ttlSeconds");
    byte[] t = data(token, NOT_BASE64, "token"), s = arg(clientSecret, "clientSecret");
    long[] out = new long[2];
    try {
      check(NativeLib.port_secret_decrypt_fernet(t, s, ttlSeconds, out));
      return takeText(out);
    } finally {
      wipe(s);
    }
  }

  /** As {@link #decryptFernet(String, String, long)}, any plaintext bytes. */
  public static byte[] decryptFernetBytes(String token, String clientSecret, long ttlSeconds) {
    NativeLib.ready();
    requireNonNegative(ttlSeconds, "ttlSeconds");
    byte[] t = data(token, NOT_BASE64, "token"), s = arg(clientSecret, "clientSecret");
    long[] out = new long[2];
    try {
      check(NativeLib.port_secret_decrypt_fernet_bytes(t, s, ttlSeconds, out));
      return take(out);
    } finally {
      wipe(s);
    }
  }

  /**
   * As {@link #decryptFernetBytes}, at the time {@code now} instead of the system clock: for
   * replaying stored tokens and for tests.
   */
  public static byte[] decryptFernetBytes(
      String token, String clientSecret, long ttlSeconds, Instant now) {
    NativeLib.ready();
    requireNonNegative(ttlSeconds, "ttlSeconds");
    long nowUnix = Objects.requireNonNull(now, "now").getEpochSecond();
    requireNonNegative(nowUnix, "now");
    byte[] t = data(token, NOT_BASE64, "token"), s = arg(clientSecret, "clientSecret");
    long[] out = new long[2];
    try {
      check(NativeLib.port_secret_decrypt_fernet_bytes_at(t, s, ttlSeconds, nowUnix, out));
      return take(out);
    } finally {
      wipe(s);
    }
  }

  /** Encrypts to a Fernet token (legacy format) stamped with the current time. */
  public static String encryptFernet(byte[] plaintext, String clientSecret) {
    NativeLib.ready();
    Objects.requireNonNull(plaintext, "plaintext");
    byte[] k = arg(clientSecret, "clientSecret");
    long[] out = new long[2];
    try {
      check(NativeLib.port_secret_encrypt_fernet(plaintext, plaintext.length, k, out));
      return takeText(out);
    } finally {
      wipe(k);
    }
  }

  /** {@link #encryptFernet(byte[], String)} of the UTF-8 of {@code plaintext}. */
  public static String encryptFernet(String plaintext, String clientSecret) {
    byte[] p = plaintext.getBytes(StandardCharsets.UTF_8);
    try {
      return encryptFernet(p, clientSecret);
    } finally {
      wipe(p);
    }
  }

  // ---- webhook signatures ----

  /**
   * The {@code x-port-signature} header value Port sends for {@code body} (the raw bytes) and
   * {@code timestamp} (the {@code x-port-timestamp} header): {@code v1,<base64 HMAC-SHA256>} with
   * the whole client secret.
   *
   * <p>The arguments come in the order of {@link #verifySignature(byte[], String, String, String)}:
   * what was signed first (body, then timestamp), the key last. Earlier builds took {@code
   * clientSecret} before {@code timestamp}; a call in that order passes the secret as the
   * timestamp and throws {@code malformed}.
   *
   * @throws PortSecretException {@code malformed} (a timestamp that is not an integer), {@code
   *     invalid_key} (an empty secret, or white space around it)
   */
  public static String signPayload(byte[] body, String timestamp, String clientSecret) {
    NativeLib.ready();
    Objects.requireNonNull(body, "body");
    byte[] ts = arg(timestamp, "timestamp"), s = arg(clientSecret, "clientSecret");
    long[] out = new long[2];
    try {
      check(NativeLib.port_secret_sign_payload(body, body.length, ts, s, out));
      return takeText(out);
    } finally {
      wipe(s);
    }
  }

  /**
   * Verifies a webhook in constant time with Port's default tolerance (300 s); throws
   * {@code invalid_signature} or {@code expired}. {@code body} is the <b>raw</b> request body.
   */
  public static void verifySignature(
      byte[] body, String signature, String timestamp, String clientSecret) {
    verifySignature(body, signature, timestamp, clientSecret, DEFAULT_TOLERANCE_SECONDS);
  }

  /** As {@link #verifySignature(byte[], String, String, String)} with a tolerance in seconds. */
  public static void verifySignature(
      byte[] body, String signature, String timestamp, String clientSecret, long toleranceSeconds) {
    NativeLib.ready();
    Objects.requireNonNull(body, "body");
    requireNonNegative(toleranceSeconds, "toleranceSeconds");
    byte[] sig = data(signature, NOT_BASE64, "signature"), ts = data(timestamp, 'x', "timestamp");
    byte[] s = arg(clientSecret, "clientSecret");
    try {
      check(NativeLib.port_secret_verify_signature(body, body.length, sig, ts, s, toleranceSeconds));
    } finally {
      wipe(s);
    }
  }

  /**
   * As {@link #verifySignature(byte[], String, String, String, long)} at the time {@code now}
   * instead of the system clock: for replaying stored deliveries and for tests.
   */
  public static void verifySignature(byte[] body, String signature, String timestamp,
      String clientSecret, long toleranceSeconds, Instant now) {
    NativeLib.ready();
    Objects.requireNonNull(body, "body");
    requireNonNegative(toleranceSeconds, "toleranceSeconds");
    long nowUnix = Objects.requireNonNull(now, "now").getEpochSecond();
    byte[] sig = data(signature, NOT_BASE64, "signature"), ts = data(timestamp, 'x', "timestamp");
    byte[] s = arg(clientSecret, "clientSecret");
    try {
      check(NativeLib.port_secret_verify_signature_at(
          body, body.length, sig, ts, s, toleranceSeconds, nowUnix));
    } finally {
      wipe(s);
    }
  }

  static void requireNonNegative(long n, String what) {
    if (n < 0) throw new IllegalArgumentException(what + " must not be negative");
  }
}
