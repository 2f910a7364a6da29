package io.github.portsecret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Decryptor.Builder's options, through PortSecretDecryptorOptions (the C options struct). */
class OptionsTest {
  static final String SECRET = ApiTest.SECRET;
  /** A Fernet token for SECRET made at unix time 1000000000 (2001), plaintext "old". */
  static final String OLD_FERNET =
      "gAAAAAA7msoAM4Hh2FyqmhJkOCtLAcY4LXBstrI-8mbX7fWiYBRE3uIrsIAJJpv8YkC9sFjLbHParxfQ9b-xuMrfMPTyOSzNcA==";

  @Test
  void maxInputLenIsApplied() {
    String gcm = PortSecret.encryptAes256Gcm("hunter2", SECRET);
    try (Decryptor d = Decryptor.builder().clientSecret(SECRET).build()) {
      assertEquals("hunter2", d.decrypt(gcm, "aes256-gcm"));
    }
    try (Decryptor d = Decryptor.builder().clientSecret(SECRET).maxInputLen(gcm.length() - 1)
        .build()) {
      assertEquals("malformed", assertThrows(PortSecretException.class,
          () -> d.decrypt(gcm, "aes256-gcm")).getCode());
    }
    try (Decryptor d = Decryptor.builder().clientSecret(SECRET).maxInputLen(gcm.length())
        .build()) {
      assertEquals("hunter2", d.decrypt(gcm, "aes256-gcm"));
    }
  }

  @Test
  void fernetTtlIsApplied() {
    try (Decryptor d = Decryptor.builder().clientSecret(SECRET).build()) {
      assertEquals("old", d.decrypt(OLD_FERNET, "fernet"));
    }
    try (Decryptor d = Decryptor.builder().clientSecret(SECRET).fernetTtl(Duration.ofHours(1))
        .build()) {
      assertEquals("expired", assertThrows(PortSecretException.class,
          () -> d.decrypt(OLD_FERNET, "fernet")).getCode());
      String fresh = PortSecret.encryptFernet("new", SECRET);
      assertEquals("new", d.decrypt(fresh, "fernet"));
    }
    try (Decryptor d = Decryptor.builder().clientSecret(SECRET).fernetTtlSeconds(60)
        .fernetTtl(null).build()) {
      assertEquals("old", d.decrypt(OLD_FERNET, "fernet"));
    }
  }

  @Test
  void badOptionsAreRefused() {
    // 0 reaches the core, which refuses it as every language does.
    assertEquals("malformed", assertThrows(PortSecretException.class,
        () -> Decryptor.builder().clientSecret(SECRET).maxInputLen(0).build()).getCode());
    assertEquals("malformed", assertThrows(PortSecretException.class,
        () -> Decryptor.builder().maxInputLen(0).build()).getCode());
    assertThrows(IllegalArgumentException.class, () -> Decryptor.builder().maxInputLen(-1));
    assertThrows(IllegalArgumentException.class, () -> Decryptor.builder().fernetTtlSeconds(-1));
    assertThrows(IllegalArgumentException.class,
        () -> Decryptor.builder().fernetTtl(Duration.ofSeconds(-5)));
    assertEquals("invalid_key", assertThrows(PortSecretException.class,
        () -> Decryptor.builder().maxInputLen(10).build()).getCode());
  }
}
