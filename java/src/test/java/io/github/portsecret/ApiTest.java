package io.github.portsecret;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Java surface itself: round trips, errors, options, lifecycle, what never leaks. */
class ApiTest {
  static final String SECRET = "Qe5vT1rXk2mZ8pLw4sNh7yBc0dFg3jKa-rest-of-the-secret";
  static final String PLAIN = "s3cr3t-plaintext-never-shown";

  @Test
  void versionAndPlatform() {
    assertEquals("0.1.0", PortSecret.version());
    assertTrue(PortSecret.platform().matches("(linux|darwin|win32)-[a-z0-9-]+"), PortSecret.platform());
  }

  @Test
  void roundTrips() {
    String gcm = PortSecret.encryptAes256Gcm(PLAIN, SECRET);
    assertEquals(PLAIN, PortSecret.decryptAes256Gcm(gcm, SECRET));
    String fernet = PortSecret.encryptFernet(PLAIN, SECRET);
    assertEquals(PLAIN, PortSecret.decryptFernet(fernet, SECRET, 60));
    KeyPair kp = PortSecret.generateKeyPair(2048);
    assertTrue(kp.privateKeyPem().startsWith("-----BEGIN PRIVATE KEY-----"));
    assertFalse(kp.toString().contains("PRIVATE"));
    String cs = PortSecret.encryptClientSide(PLAIN, kp.publicKeyPem());
    assertEquals(PLAIN, PortSecret.decryptClientSide(cs, kp.privateKeyPem()));
    byte[] binary = {0, (byte) 0xff, 0, 1};
    assertArrayEquals(binary,
        PortSecret.decryptAes256GcmBytes(PortSecret.encryptAes256Gcm(binary, SECRET), SECRET));
    assertEquals("invalid_utf8", assertThrows(PortSecretException.class,
        () -> PortSecret.decryptAes256Gcm(PortSecret.encryptAes256Gcm(binary, SECRET), SECRET))
        .getCode());
    assertEquals("invalid_key", assertThrows(PortSecretException.class,
        () -> PortSecret.generateKeyPair(1024)).getCode());

    try (Decryptor d = Decryptor.builder().clientSecret(SECRET).privateKeyPem(kp.privateKeyPem())
        .build()) {
      assertEquals(PLAIN, d.decrypt(gcm, "aes256-gcm"));
      assertEquals(PLAIN, d.decrypt(gcm, "\"aes256-gcm\""));
      assertEquals(PLAIN, d.decrypt(fernet, "fernet"));
      assertEquals(PLAIN, d.decrypt(cs, "{\"algorithm\":\"client-side\",\"key\":"
          + Json.quote(kp.publicKeyPem()) + "}"));
      String obj = PortSecret.encryptAes256Gcm("{ \"a\" : [1, 2.5, \"x\"] }", SECRET);
      assertEquals("{\"a\":[1,2.5,\"x\"]}", d.decryptJson(obj, "aes256-gcm"));
      assertEquals("invalid_json", assertThrows(PortSecretException.class,
          () -> d.decryptJson(gcm, "aes256-gcm")).getCode());
      assertEquals("unsupported_encryption", assertThrows(PortSecretException.class,
          () -> d.decrypt(gcm, "rot13")).getCode());
      String props = d.decryptProperties("{\"pw\":" + Json.quote(gcm) + ",\"n\":1}",
          "{\"properties\":{\"pw\":{\"type\":\"string\",\"encryption\":\"aes256-gcm\"},"
              + "\"n\":{\"type\":\"number\"}}}");
      assertEquals("{\"pw\":" + Json.quote(PLAIN) + ",\"n\":1}", props);
    }
  }

  @Test
  void signatures() {
    byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    String ts = Long.toString(Instant.now().getEpochSecond());
    String sig = PortSecret.signPayload(body, ts, SECRET);
    assertTrue(sig.startsWith("v1,"));
    PortSecret.verifySignature(body, sig, ts, SECRET);
    PortSecret.verifySignature(body, "v0,xx " + sig, ts, SECRET, 0);
    assertEquals("invalid_signature", assertThrows(PortSecretException.class,
        () -> PortSecret.verifySignature(body, sig, ts, SECRET + "x")).getCode());
    assertEquals("invalid_signature", assertThrows(PortSecretException.class,
        () -> PortSecret.verifySignature(body, sig + "\0", ts, SECRET)).getCode());
    String old = Long.toString(Instant.now().getEpochSecond() - 1000);
    assertEquals("expired", assertThrows(PortSecretException.class,
        () -> PortSecret.verifySignature(body, PortSecret.signPayload(body, old, SECRET), old,
            SECRET)).getCode());
    try (Decryptor d = Decryptor.builder().clientSecret("another-secret-0123456789abcdef0123")
        .clientSecret(SECRET).build()) {
      d.verifySignature(body, sig, ts);
      d.verifySignature(body, sig, ts, 10);
      assertEquals("invalid_signature", assertThrows(PortSecretException.class,
          () -> d.verifySignature(new byte[0], sig, ts)).getCode());
    }
  }

  /**
   * signPayload takes the order of verifySignature: what was signed first (body, timestamp), the
   * key last. A call in the old order (body, clientSecret, timestamp) puts the secret where the
   * timestamp goes: {@code malformed}, never a signature keyed with the timestamp.
   */
  @Test
  void signPayloadTakesTheOrderOfVerifySignature() {
    byte[] body = "{\"action\":\"deploy\"}".getBytes(StandardCharsets.UTF_8);
    String ts = Long.toString(Instant.now().getEpochSecond());
    PortSecretException old = assertThrows(PortSecretException.class,
        () -> PortSecret.signPayload(body, SECRET, ts));
    assertEquals("malformed", old.getCode());
    assertFalse(String.valueOf(old.getMessage()).contains(SECRET), old.getMessage());
    assertFalse(old.toString().contains(SECRET), old.toString());
    for (String bad : List.of("", "now", "1700000000.5", " 1700000000")) {
      assertEquals("malformed", assertThrows(PortSecretException.class,
          () -> PortSecret.signPayload(body, bad, SECRET)).getCode(), bad);
    }
    String sig = PortSecret.signPayload(body, ts, SECRET);
    PortSecret.verifySignature(body, sig, ts, SECRET);
  }

  @Test
  void runs() {
    String gcm = PortSecret.encryptAes256Gcm(PLAIN, SECRET);
    String body = "{\"payload\":{\"properties\":{\"pw\":" + Json.quote(gcm) + "},"
        + "\"action\":{\"userInputs\":{\"properties\":{\"pw\":{\"type\":\"string\","
        + "\"encryption\":\"aes256-gcm\"}}}}}}";
    byte[] raw = body.getBytes(StandardCharsets.UTF_8);
    String ts = Long.toString(Instant.now().getEpochSecond());
    String sig = PortSecret.signPayload(raw, ts, SECRET);
    try (Decryptor d = Decryptor.builder().clientSecret(SECRET).build()) {
      String run = d.openWebhook(raw,
          Map.of("X-Port-Signature", List.of(sig), "x-port-timestamp", List.of(ts)));
      assertTrue(run.contains(Json.quote(PLAIN)), "decrypted in place");
      assertArrayEquals(run.getBytes(StandardCharsets.UTF_8),
          d.openWebhookBytes(raw, new Headers().add("x-port-signature", sig)
              .add("x-port-timestamp", ts), RunOptions.DEFAULT));
      // A header name with a NUL is not Port's: left out, so the signature is missing.
      assertEquals("invalid_signature", assertThrows(PortSecretException.class,
          () -> d.openWebhook(raw, new Headers().add("x-port-signature\0", sig)
              .add("x-port-timestamp", ts))).getCode());
      // Options: names list, pointer, a fixed clock, caps.
      RunOptions replay = RunOptions.builder().now(Instant.ofEpochSecond(Long.parseLong(ts) + 250))
          .secretInputNames(List.of("pw")).build();
      assertEquals(run, d.openWebhook(raw, new Headers().add("x-port-signature", sig)
          .add("x-port-timestamp", ts), replay));
      RunOptions late = replay.toBuilder().nowEpochSeconds(Long.parseLong(ts) + 301).build();
      assertEquals("expired", assertThrows(PortSecretException.class, () -> d.openWebhook(raw,
          new Headers().add("x-port-signature", sig).add("x-port-timestamp", ts), late)).getCode());
      RunOptions small = RunOptions.builder().maxBody(10).verifySignature(false).build();
      assertEquals("malformed", assertThrows(PortSecretException.class,
          () -> d.openWebhook(raw, new Headers(), small)).getCode());
      RunOptions badInputs = RunOptions.builder().verifySignature(false).userInputsJson("{x")
          .build();
      assertEquals("invalid_json", assertThrows(PortSecretException.class,
          () -> d.openWebhook(raw, new Headers(), badInputs)).getCode());
      // A failing input is named, never shown.
      String tampered = body.replace(gcm, gcm.substring(0, 10) + (gcm.charAt(10) == 'A' ? 'B' : 'A')
          + gcm.substring(11));
      PortSecretException e = assertThrows(PortSecretException.class, () -> d.openWebhook(
          tampered.getBytes(StandardCharsets.UTF_8), new Headers(),
          RunOptions.builder().verifySignature(false).build()));
      assertEquals("authentication_failed", e.getCode());
      assertEquals("pw", e.getInput());
      assertTrue(e.getMessage().contains("\"pw\""));
      assertFalse(e.getMessage().contains(gcm.substring(0, 10)));
      // Kafka: the message carries its own signature headers.
      assertEquals("invalid_signature", assertThrows(PortSecretException.class,
          () -> d.openKafkaMessage(raw)).getCode());
    }
  }

  @Test
  void argumentsTheAbiCannotTake() {
    assertEquals("invalid_argument", assertThrows(PortSecretException.class,
        () -> PortSecret.decryptAes256Gcm("AAAA", "0123456789abcdef\u00000123456789abcdef"))
        .getCode());
    assertEquals("invalid_argument", assertThrows(PortSecretException.class,
        () -> Decryptor.builder().clientSecret("x\0" + SECRET).build()).getCode());
    // A NUL in a value is as invalid as any non-base64 character, after the key check.
    assertEquals("invalid_base64", assertThrows(PortSecretException.class,
        () -> PortSecret.decryptAes256Gcm("AAAA\0AAA", SECRET)).getCode());
    assertEquals("invalid_key", assertThrows(PortSecretException.class,
        () -> PortSecret.decryptAes256Gcm("AAAA\0AAA", "short")).getCode());
    assertThrows(NullPointerException.class, () -> PortSecret.decryptAes256Gcm(null, SECRET));
    assertThrows(IllegalArgumentException.class, () -> RunOptions.builder().toleranceSeconds(-1));
    assertEquals("invalid_key", assertThrows(PortSecretException.class,
        () -> Decryptor.builder().build()).getCode());
    assertEquals("invalid_key", assertThrows(PortSecretException.class,
        () -> Decryptor.builder().privateKeyPem("not a pem").build()).getCode());
  }

  @Test
  void lifecycle() {
    Decryptor d = Decryptor.builder().clientSecret(SECRET).build();
    String gcm = PortSecret.encryptAes256Gcm(PLAIN, SECRET);
    assertEquals(PLAIN, d.decrypt(gcm, "aes256-gcm"));
    assertEquals("Decryptor[clientSecrets=1, privateKeys=0]", d.toString());
    d.close();
    d.close();
    assertTrue(d.toString().endsWith("closed]"));
    assertThrows(IllegalStateException.class, () -> d.decrypt(gcm, "aes256-gcm"));
    // Dropped without close: freed by the Cleaner (no crash, no leak of the handle).
    for (int i = 0; i < 1000; i++) Decryptor.builder().clientSecret(SECRET).build();
    System.gc();
  }

  @Test
  void messagesNeverCarryInput() {
    String gcm = PortSecret.encryptAes256Gcm(PLAIN, SECRET);
    String wrong = "WRONG-secret-0123456789abcdef0123456789";
    PortSecretException e = assertThrows(PortSecretException.class,
        () -> PortSecret.decryptAes256Gcm(gcm, wrong));
    assertEquals("authentication_failed", e.getCode());
    assertNull(e.getInput());
    for (String s : new String[] {gcm, wrong, PLAIN}) assertFalse(e.getMessage().contains(s));
    assertFalse(RunOptions.builder().userInputsJson("{\"secret-ish\":1}").build().toString()
        .contains("secret-ish"));
  }

  @Test
  void headersFromStrings() {
    Headers h = new Headers().add("A", "caf\u00e9").add("B", "\u2713");
    assertArrayEquals(new byte[] {'c', 'a', 'f', (byte) 0xe9}, h.values.get(0));
    assertArrayEquals("\u2713".getBytes(StandardCharsets.UTF_8), h.values.get(1));
    assertEquals("Headers[A, B]", h.toString());
  }
}
