package io.github.portsecret.bench;

import io.github.portsecret.Decryptor;
import io.github.portsecret.Headers;
import io.github.portsecret.KeyPair;
import io.github.portsecret.PortSecret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-call benchmarks, a simple warmed loop (not JMH): each case runs 2 s to warm up, then
 * 5 rounds of about 1 s; the median round's ns per call is reported. Cases that are compared
 * (port-secret and javax.crypto) run their rounds interleaved, so a change in the machine's load
 * hits both alike. One thread. Every call's result feeds a checksum so the JIT cannot drop it.
 * Prints markdown rows ({@code | case | per call | calls/s |}) and the ratios.
 *
 * <p>Run by java/bench/run.sh (never in the Maven test phase).
 */
public final class Bench {
  static long sink;

  /** ns per call of one ~1 s round. */
  static double round(LongSupplier call) {
    long n = 0, t0 = System.nanoTime(), t1;
    do {
      for (int i = 0; i < 100; i++) sink += call.getAsLong();
      n += 100;
      t1 = System.nanoTime();
    } while (t1 - t0 < 1_000_000_000L);
    return (double) (t1 - t0) / n;
  }

  static void warm(LongSupplier call) {
    long end = System.nanoTime() + 2_000_000_000L;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 100; i++) sink += call.getAsLong();
    }
  }

  static double report(String name, double[] rounds) {
    Arrays.sort(rounds);
    double ns = rounds[rounds.length / 2];
    System.out.printf(Locale.ROOT, "| %s | %s | %,.0f |%n", name, fmt(ns), 1e9 / ns);
    return ns;
  }

  static double measure(String name, LongSupplier call) {
    warm(call);
    double[] rounds = new double[5];
    for (int r = 0; r < rounds.length; r++) rounds[r] = round(call);
    return report(name, rounds);
  }

  /**
   * Several cases measured with their rounds interleaved (a round of each, five times), so that
   * a change in the machine's load affects all of them alike and their ratios stay fair.
   */
  static double[] measureTogether(String[] names, LongSupplier... calls) {
    for (LongSupplier c : calls) warm(c);
    double[][] rounds = new double[calls.length][5];
    for (int r = 0; r < 5; r++) {
      for (int i = 0; i < calls.length; i++) rounds[i][r] = round(calls[i]);
    }
    double[] ns = new double[calls.length];
    for (int i = 0; i < calls.length; i++) ns[i] = report(names[i], rounds[i]);
    return ns;
  }

  static String fmt(double ns) {
    return ns >= 10_000 ? String.format(Locale.ROOT, "%,.1f µs", ns / 1000)
        : String.format(Locale.ROOT, "%,.0f ns", ns);
  }

  public static void main(String[] args) throws Exception {
    Path demo = Paths.get(args.length > 0 ? args[0] : "../examples/demo");
    String secret = "Qe5vT1rXk2mZ8pLw4sNh7yBc0dFg3jKaRt6uVw9xYz1AbCdEfGhIjKlMnOpQrStU";
    byte[] plain100 = new byte[100];
    for (int i = 0; i < 100; i++) plain100[i] = (byte) ('a' + i % 26);
    String gcmValue = PortSecret.encryptAes256Gcm(plain100, secret);
    KeyPair kp = PortSecret.generateKeyPair(2048);
    String csValue = PortSecret.encryptClientSide(plain100, kp.publicKeyPem());

    System.out.println("java " + System.getProperty("java.version") + ", " + System.getProperty("os.arch")
        + ", port-secret " + PortSecret.version() + " through JNA " + com.sun.jna.Native.VERSION
        + " (direct mapping)");
    System.out.println();
    System.out.println("| case | per call | calls/s |");
    System.out.println("|---|---|---|");

    List<String> ratios = new ArrayList<>();
    try (Decryptor d = Decryptor.builder().clientSecret(secret).privateKeyPem(kp.privateKeyPem())
        .build()) {
      // aes256-gcm, 100 bytes.
      SecretKeySpec aesKey = new SecretKeySpec(
          Arrays.copyOf(secret.getBytes(StandardCharsets.UTF_8), 32), "AES");
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      double[] aes = measureTogether(new String[] {
          "port-secret `Decryptor.decrypt` aes256-gcm, 100 B (text)",
          "port-secret `Decryptor.decryptBytes` aes256-gcm, 100 B",
          "port-secret `PortSecret.decryptAes256Gcm` (one-shot), 100 B (text)",
          "javax.crypto `AES/GCM/NoPadding` (16-byte IV, key made once), 100 B (text)"},
          () -> d.decrypt(gcmValue, "aes256-gcm").length(),
          () -> d.decryptBytes(gcmValue, "aes256-gcm").length,
          () -> PortSecret.decryptAes256Gcm(gcmValue, secret).length(),
          () -> {
            try {
              byte[] raw = Base64.getDecoder().decode(gcmValue);
              gcm.init(Cipher.DECRYPT_MODE, aesKey, new GCMParameterSpec(128, raw, 0, 16));
              byte[] pt = gcm.doFinal(raw, 16, raw.length - 16);
              return new String(pt, StandardCharsets.UTF_8).length();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
      ratios.add(String.format(Locale.ROOT,
          "aes256-gcm 100 B: port-secret `decrypt` takes %.2fx the time of javax.crypto "
              + "(`decryptBytes` %.2fx; javax.crypto is %.2fx as fast)",
          aes[0] / aes[3], aes[1] / aes[3], aes[0] / aes[3]));

      // client-side, RSA-2048 + AES-GCM, 100 bytes.
      String pem = kp.privateKeyPem().replaceAll("-----[A-Z ]+-----|\\s", "");
      PrivateKey rsa = KeyFactory.getInstance("RSA")
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
      OAEPParameterSpec oaep = new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
          PSource.PSpecified.DEFAULT);
      Cipher rsaCipher = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
      Cipher gcm2 = Cipher.getInstance("AES/GCM/NoPadding");
      double[] cs = measureTogether(new String[] {
          "port-secret `Decryptor.decrypt` client-side RSA-2048, 100 B (key parsed once)",
          "javax.crypto `RSA/ECB/OAEPWithSHA-256AndMGF1Padding` + AES-GCM, 100 B (key parsed once)"},
          () -> d.decrypt(csValue, "client-side").length(),
          () -> {
            try {
              byte[] raw = Base64.getDecoder().decode(csValue);
              rsaCipher.init(Cipher.DECRYPT_MODE, rsa, oaep);
              byte[] key = rsaCipher.doFinal(raw, 12, 256);
              gcm2.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                  new GCMParameterSpec(128, raw, 0, 12));
              byte[] pt = gcm2.doFinal(raw, 12 + 256, raw.length - 12 - 256);
              return new String(pt, StandardCharsets.UTF_8).length();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
      ratios.add(String.format(Locale.ROOT,
          "client-side RSA-2048: port-secret takes %.2fx the time of javax.crypto (%.2fx as fast)",
          cs[0] / cs[1], cs[1] / cs[0]));
    }

    // A whole run: the demo delivery (3 aes256-gcm inputs, 1 client-side), signed now.
    if (Files.isDirectory(demo)) {
      String demoSecret = Files.readString(demo.resolve("client_secret.txt")).strip();
      byte[] body = Files.readAllBytes(demo.resolve("body.json"));
      String ts = Long.toString(Instant.now().getEpochSecond());
      Headers headers = new Headers().add("x-port-signature", PortSecret.signPayload(body, ts, demoSecret))
          .add("x-port-timestamp", ts).add("content-type", "application/json");
      try (Decryptor d = Decryptor.builder().clientSecret(demoSecret)
          .privateKeyPem(Files.readString(demo.resolve("private_key.pem"))).build()) {
        measure("port-secret `Decryptor.openWebhook`, the demo run (3.8 kB, 3 aes256-gcm + 1 client-side)",
            () -> d.openWebhook(body, headers).length());
      }
    }
    System.out.println();
    for (String r : ratios) System.out.println("ratio: " + r);
    System.out.println("(checksum " + (sink & 1) + ")");
  }
}
