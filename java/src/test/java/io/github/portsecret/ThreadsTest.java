package io.github.portsecret;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.portsecret.Vectors.Case;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Many threads on one Decryptor: exact outcome of every call; close() racing calls. */
class ThreadsTest {
  static final int THREADS = 8;

  @Test
  void manyThreadsOneDecryptor() throws Exception {
    List<Case> cs = new ArrayList<>();
    Map<String, String> keys = new LinkedHashMap<>();
    for (Case c : Vectors.load("client_side", "client-side")) {
      if (!c.valid()) continue;
      cs.add(c);
      if (c.str("privateKey").endsWith("_pkcs8.pem")) {
        keys.computeIfAbsent(c.str("privateKey"), Vectors::key);
      }
    }
    List<Case> gcm = new ArrayList<>();
    String secret = null;
    for (Case c : Vectors.load("aes256_gcm", "aes256-gcm")) {
      if (!c.valid()) continue;
      if (secret == null) secret = c.str("clientSecret");
      if (c.str("clientSecret").equals(secret)) gcm.add(c);
    }
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    AtomicLong calls = new AtomicLong();
    try (Decryptor d = Decryptor.builder().clientSecret(secret).privateKeyPems(keys.values())
        .build()) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        futures.add(pool.submit(() -> {
          start.await();
          for (int round = 0; round < 2; round++) {
            for (Case c : cs) {
              assertArrayEquals(Vectors.hex(c.str("plaintextHex")),
                  d.decryptBytes(c.str("value"), "client-side"), c.id());
              calls.incrementAndGet();
            }
            for (int i = 0; i < 50; i++) {
              for (Case c : gcm) {
                assertArrayEquals(Vectors.hex(c.str("plaintextHex")),
                    d.decryptBytes(c.str("value"), "aes256-gcm"), c.id());
                calls.incrementAndGet();
              }
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) f.get();
    } finally {
      pool.shutdown();
    }
    assertEquals((long) THREADS * 2 * (cs.size() + 50L * gcm.size()), calls.get());
  }

  @Test
  void closeWhileInUse() throws Exception {
    String secret = "Qe5vT1rXk2mZ8pLw4sNh7yBc0dFg3jKa";
    String value = PortSecret.encryptAes256Gcm("x", secret);
    byte[] x = "x".getBytes(StandardCharsets.UTF_8);
    for (int round = 0; round < 20; round++) {
      Decryptor d = Decryptor.builder().clientSecret(secret).build();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      AtomicLong ok = new AtomicLong(), closed = new AtomicLong();
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 2000; i++) {
            try {
              assertArrayEquals(x, d.decryptBytes(value, "aes256-gcm"));
              ok.incrementAndGet();
            } catch (IllegalStateException e) {
              closed.incrementAndGet();
            }
          }
          return null;
        }));
      }
      Thread.sleep(1);
      d.close();
      for (Future<?> f : futures) f.get();
      pool.shutdown();
      assertEquals(8000, ok.get() + closed.get());
    }
    assertTrue(true);
  }
}
