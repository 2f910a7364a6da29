package io.github.portsecret;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.portsecret.Vectors.Case;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The shared vectors of tests/vectors/, every file of every format, through this binding: the
 * one-shot text and bytes functions, a Decryptor per secret (after a rotated-out secret), one
 * shared multi-key Decryptor for client-side, decryptProperties and the run API with exact
 * results (JSON compared as parsed values, key order included) or exact codes and input names.
 */
class VectorsTest {
  static final String ROTATED_OUT = "an-older-client-secret-no-longer-current-0123456789";

  static Decryptor sharedClientSide;

  @BeforeAll
  static void sharedDecryptor() {
    // Every valid PKCS#8 key the client-side vectors use (PKCS#1 files hold the same keys).
    Map<String, String> keys = new LinkedHashMap<>();
    for (Case c : Vectors.load("client_side", "client-side")) {
      String file = c.str("privateKey");
      if (c.valid() && file.endsWith("_pkcs8.pem")) keys.computeIfAbsent(file, Vectors::key);
    }
    sharedClientSide = Decryptor.builder().privateKeyPems(keys.values()).build();
  }

  @AfterAll
  static void close() {
    sharedClientSide.close();
  }

  /** The outcome of a call: the plaintext, or the exception's code. */
  static void expect(Case c, String what, boolean textApi, Supplier<byte[]> call) {
    boolean ok = c.valid() && (c.str("error") == null || !textApi);
    if (ok) {
      byte[] got;
      try {
        got = call.get();
      } catch (PortSecretException e) {
        throw new AssertionError(c.id() + " " + what + ": got " + e.getCode() + ", want ok");
      }
      assertArrayEquals(Vectors.hex(c.str("plaintextHex")), got, c.id() + " " + what);
    } else {
      PortSecretException e = assertThrows(PortSecretException.class, call::get,
          c.id() + " " + what + ": want " + c.str("error"));
      assertEquals(c.str("error"), e.getCode(), c.id() + " " + what);
      assertNull(e.getInput(), c.id() + " " + what + ": input");
    }
  }

  static Supplier<byte[]> text(Supplier<String> s) {
    return () -> s.get().getBytes(StandardCharsets.UTF_8);
  }

  static Stream<DynamicTest> tests(List<Case> cases, java.util.function.Consumer<Case> run) {
    return cases.stream().map(c -> dynamicTest(c.id(), () -> run.accept(c)));
  }

  /** A decryptor with a rotated-out secret first, then the test's. */
  static void viaDecryptor(Case c, String encryption, String secret, String value) {
    if ("invalid_key".equals(c.str("error"))) {
      PortSecretException e = assertThrows(PortSecretException.class,
          () -> Decryptor.builder().clientSecret(ROTATED_OUT).clientSecret(secret).build());
      assertEquals("invalid_key", e.getCode(), c.id());
      return;
    }
    try (Decryptor d = Decryptor.builder().clientSecret(ROTATED_OUT).clientSecret(secret).build()) {
      expect(c, "decryptor text", true, text(() -> d.decrypt(value, encryption)));
      expect(c, "decryptor bytes", false, () -> d.decryptBytes(value, encryption));
    }
  }

  @TestFactory
  Stream<DynamicTest> aes256Gcm() {
    return tests(Vectors.load("aes256_gcm", "aes256-gcm"), c -> {
      String secret = c.str("clientSecret"), value = c.str("value");
      expect(c, "text", true, text(() -> PortSecret.decryptAes256Gcm(value, secret)));
      expect(c, "bytes", false, () -> PortSecret.decryptAes256GcmBytes(value, secret));
      viaDecryptor(c, "aes256-gcm", secret, value);
    });
  }

  @TestFactory
  Stream<DynamicTest> fernet() {
    return tests(Vectors.load("fernet", "fernet"), c -> {
      String secret = c.str("clientSecret"), token = c.str("token");
      long ttl = c.test().path("ttl").asLong(0);
      if (!c.has("now")) {
        expect(c, "text", true, text(() -> PortSecret.decryptFernet(token, secret, ttl)));
        expect(c, "bytes", false, () -> PortSecret.decryptFernetBytes(token, secret, ttl));
        if (ttl == 0) viaDecryptor(c, "\"fernet\"", secret, token);
      } else {
        Instant now = Instant.ofEpochSecond(c.test().get("now").asLong());
        expect(c, "bytes at", false, () -> PortSecret.decryptFernetBytes(token, secret, ttl, now));
        if (c.valid()) {
          expect(c, "text, no ttl", true, text(() -> PortSecret.decryptFernet(token, secret)));
        }
      }
    });
  }

  @TestFactory
  Stream<DynamicTest> clientSide() {
    return tests(Vectors.load("client_side", "client-side"), c -> {
      String pem = Vectors.key(c.str("privateKey")), value = c.str("value");
      expect(c, "text", true, text(() -> PortSecret.decryptClientSide(value, pem)));
      expect(c, "bytes", false, () -> PortSecret.decryptClientSideBytes(value, pem));
      if (c.valid()) {
        expect(c, "shared decryptor, no key", true,
            text(() -> sharedClientSide.decrypt(value, "client-side")));
        if (c.has("publicKey")) {
          String enc = "{\"algorithm\": \"client-side\", \"key\": "
              + Json.quote(Vectors.key(c.str("publicKey"))) + "}";
          expect(c, "shared decryptor, with key", false,
              () -> sharedClientSide.decryptBytes(value, enc));
        }
      }
    });
  }

  @TestFactory
  Stream<DynamicTest> signature() {
    return tests(Vectors.load("signature", "signature"), c -> {
      byte[] body = c.str("body").getBytes(StandardCharsets.UTF_8);
      String secret = c.str("clientSecret"), sig = c.str("signature"), ts = c.str("timestamp");
      long tolerance = c.test().get("tolerance").asLong();
      Instant now = Instant.ofEpochSecond(c.test().get("now").asLong());
      if (c.valid()) {
        PortSecret.verifySignature(body, sig, ts, secret, tolerance, now);
        if (!sig.contains(" ")) assertEquals(sig, PortSecret.signPayload(body, ts, secret), c.id());
      } else {
        PortSecretException e = assertThrows(PortSecretException.class,
            () -> PortSecret.verifySignature(body, sig, ts, secret, tolerance, now), c.id());
        assertEquals(c.str("error"), e.getCode(), c.id());
      }
    });
  }

  @TestFactory
  Stream<DynamicTest> properties() {
    return tests(Vectors.load("properties", "properties"), c -> {
      Decryptor.Builder b = Decryptor.builder().clientSecret(c.str("clientSecret"));
      if (c.has("privateKey")) b.privateKeyPem(Vectors.key(c.str("privateKey")));
      String props = Vectors.compact(c.test().get("properties"));
      String inputs = Vectors.compact(c.test().get("userInputs"));
      try (Decryptor d = b.build()) {
        if (c.valid()) {
          JsonNode got = Vectors.parse(d.decryptProperties(props, inputs));
          assertTrue(Vectors.sameInOrder(c.test().get("expected"), got),
              c.id() + ": output differs\n got: " + got + "\nwant: " + c.test().get("expected"));
        } else {
          PortSecretException e = assertThrows(PortSecretException.class,
              () -> d.decryptProperties(props, inputs), c.id());
          assertEquals(c.str("error"), e.getCode(), c.id());
          assertEquals(c.str("input"), e.getInput(), c.id() + ": input");
        }
      }
    });
  }

  /** The options of a run test, built as a user would. */
  static RunOptions options(Case c) {
    JsonNode o = c.test().get("options");
    RunOptions.Builder b = RunOptions.builder().nowEpochSeconds(c.test().get("now").asLong());
    if ("agent".equals(c.str("delivery"))) b.delivery(Delivery.AGENT);
    if (o.has("tolerance")) b.toleranceSeconds(o.get("tolerance").asLong());
    if (o.has("verifySignature")) b.verifySignature(o.get("verifySignature").asBoolean());
    if (o.has("userInputs")) b.userInputsJson(Vectors.compact(o.get("userInputs")));
    if (o.has("userInputsPointer")) b.userInputsPointer(o.get("userInputsPointer").asText());
    if (o.has("propertiesPointer")) b.propertiesPointer(o.get("propertiesPointer").asText());
    if (o.has("defaultEncryption")) {
      b.defaultEncryption(Vectors.compact(o.get("defaultEncryption")));
    }
    if (o.has("maxBody")) b.maxBody(o.get("maxBody").asLong());
    if (o.has("maxClientSideInputs")) b.maxClientSideInputs(o.get("maxClientSideInputs").asLong());
    return b.build();
  }

  @TestFactory
  Stream<DynamicTest> runs() {
    return tests(Vectors.load("runs", "run"), c -> {
      Decryptor.Builder b = Decryptor.builder().clientSecret(c.str("clientSecret"));
      if (c.has("privateKey")) b.privateKeyPem(Vectors.key(c.str("privateKey")));
      byte[] body = c.has("bodyHex") ? Vectors.hex(c.str("bodyHex"))
          : c.str("body").getBytes(StandardCharsets.UTF_8);
      boolean kafka = "kafka".equals(c.str("delivery"));
      Headers headers = new Headers();
      // As sent: in order, repeated names kept (values as UTF-8 bytes, as the C test sends).
      c.test().path("headers").forEach(h ->
          headers.add(h.get(0).asText(), h.get(1).asText().getBytes(StandardCharsets.UTF_8)));
      RunOptions options = options(c);
      try (Decryptor d = b.build()) {
        Supplier<String> open = kafka ? () -> d.openKafkaMessage(body, options)
            : () -> d.openWebhook(body, headers, options);
        if (c.valid()) {
          String run;
          try {
            run = open.get();
          } catch (PortSecretException e) {
            throw new AssertionError(c.id() + ": got " + e.getMessage() + ", want ok");
          }
          JsonNode got = Vectors.parse(run);
          assertTrue(Vectors.sameInOrder(c.test().get("expected"), got),
              c.id() + ": run differs\n got: " + got + "\nwant: " + c.test().get("expected"));
        } else {
          PortSecretException e = assertThrows(PortSecretException.class, open::get, c.id());
          assertEquals(c.str("error"), e.getCode(), c.id());
          assertEquals(c.str("input"), e.getInput(), c.id() + ": input");
        }
      }
    });
  }

  /** The counts, so a lost file shows up as a failure rather than fewer tests. */
  @TestFactory
  Stream<DynamicTest> counts() {
    List<DynamicTest> out = new ArrayList<>();
    Object[][] want = {
      {"aes256_gcm", "aes256-gcm", 244}, {"client_side", "client-side", 380},
      {"fernet", "fernet", 277}, {"signature", "signature", 139},
      {"properties", "properties", 169}, {"runs", "run", 117},
    };
    for (Object[] w : want) {
      out.add(dynamicTest("count " + w[0], () -> {
        int n = Vectors.load((String) w[0], (String) w[1]).size();
        if (n < (int) w[2]) fail(w[0] + ": " + n + " vectors, expected at least " + w[2]);
      }));
    }
    return out.stream();
  }
}
