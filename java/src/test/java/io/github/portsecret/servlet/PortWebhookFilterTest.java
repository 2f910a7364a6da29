package io.github.portsecret.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.portsecret.Decryptor;
import io.github.portsecret.PortSecret;
import io.github.portsecret.RunOptions;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PortWebhookFilter over real HTTP: an embedded Jetty 12 (Servlet 6) on 127.0.0.1, the JDK's
 * HttpClient, the demo run of examples/demo signed as Port signs it, and every refusal.
 */
class PortWebhookFilterTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path DEMO = Paths.get(System.getProperty("port_secret.vectors", "../tests/vectors"))
      .resolve("../../examples/demo").normalize();

  static Server server;
  static URI url;
  static Decryptor decryptor;
  static String secret;
  static byte[] body;
  static final HttpClient client = HttpClient.newHttpClient();

  /** The application behind the filter: echoes the run it was handed (a test only!). */
  static final class Echo extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
      Object run = req.getAttribute(PortWebhookFilter.RUN_ATTRIBUTE);
      res.setContentType("application/json");
      res.getOutputStream().write(((String) run).getBytes(StandardCharsets.UTF_8));
    }
  }

  @BeforeAll
  static void start() throws Exception {
    secret = Files.readString(DEMO.resolve("client_secret.txt")).strip();
    body = Files.readAllBytes(DEMO.resolve("body.json"));
    decryptor = Decryptor.builder().clientSecret(secret)
        .privateKeyPem(Files.readString(DEMO.resolve("private_key.pem"))).build();
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addFilter(new FilterHolder(new PortWebhookFilter(decryptor)), "/port/actions",
        EnumSet.of(DispatcherType.REQUEST));
    context.addFilter(new FilterHolder(new PortWebhookFilter(decryptor,
        RunOptions.builder().maxBody(4096).build())), "/small", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new Echo()), "/port/actions");
    context.addServlet(new ServletHolder(new Echo()), "/small");
    server.setHandler(context);
    server.start();
    url = URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
    decryptor.close();
  }

  static HttpResponse<String> post(String path, byte[] b, String sig, String ts) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(url.resolve(path))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(b));
    if (sig != null) r.header("X-Port-Signature", sig);
    if (ts != null) r.header("x-port-timestamp", ts);
    return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> signed(byte[] b, String withSecret, long ts) throws Exception {
    String t = Long.toString(ts);
    return post("/port/actions", b, PortSecret.signPayload(b, t, withSecret), t);
  }

  static long now() {
    return Instant.now().getEpochSecond();
  }

  static void refused(HttpResponse<String> r, int status, String json) throws IOException {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals(JSON.readTree(json), JSON.readTree(r.body()));
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
  }

  @Test
  void validRunReachesTheApplication() throws Exception {
    HttpResponse<String> r = signed(body, secret, now());
    assertEquals(200, r.statusCode(), r.body());
    JsonNode expected = JSON.readTree(DEMO.resolve("expected.json").toFile());
    assertEquals(expected, JSON.readTree(r.body()));
  }

  @Test
  void unsigned() throws Exception {
    refused(post("/port/actions", body, null, null), 401, "{\"error\":\"invalid_signature\"}");
    refused(post("/port/actions", body, null, Long.toString(now())), 401,
        "{\"error\":\"invalid_signature\"}");
  }

  @Test
  void tampered() throws Exception {
    String ts = Long.toString(now());
    String sig = PortSecret.signPayload(body, ts, secret);
    byte[] changed = new String(body, StandardCharsets.UTF_8).replace("TRIGGERED", "TRIGGERES")
        .getBytes(StandardCharsets.UTF_8);
    refused(post("/port/actions", changed, sig, ts), 401, "{\"error\":\"invalid_signature\"}");
  }

  @Test
  void stale() throws Exception {
    refused(signed(body, secret, now() - 400), 401, "{\"error\":\"expired\"}");
    refused(signed(body, secret, now() + 400), 401, "{\"error\":\"expired\"}");
  }

  @Test
  void wrongSecret() throws Exception {
    refused(signed(body, "another-client-secret-0123456789abcdef0123", now()), 401,
        "{\"error\":\"invalid_signature\"}");
  }

  @Test
  void badInputIsNamed() throws Exception {
    ObjectNode doc = (ObjectNode) JSON.readTree(body);
    ObjectNode props = (ObjectNode) doc.path("payload").path("properties");
    String v = props.get("db_password").asText();
    props.put("db_password", v.substring(0, 20) + (v.charAt(20) == 'A' ? 'B' : 'A')
        + v.substring(21));
    refused(signed(JSON.writeValueAsBytes(doc), secret, now()), 400,
        "{\"error\":\"authentication_failed\",\"input\":\"db_password\"}");
  }

  @Test
  void oversize() throws Exception {
    byte[] big = new byte[(1 << 20) + 1];
    java.util.Arrays.fill(big, (byte) ' ');
    refused(signed(big, secret, now()), 413, "{\"error\":\"body_too_large\"}");
    // Without a Content-Length (chunked): counted while read.
    byte[] small = new byte[5000];
    java.util.Arrays.fill(small, (byte) ' ');
    HttpRequest chunked = HttpRequest.newBuilder(url.resolve("/small"))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(small)))
        .build();
    refused(client.send(chunked, HttpResponse.BodyHandlers.ofString()), 413,
        "{\"error\":\"body_too_large\"}");
    // At the cap exactly: read, then refused for what it is (not JSON).
    String ts = Long.toString(now());
    byte[] exact = new byte[4096];
    java.util.Arrays.fill(exact, (byte) 'x');
    refused(post("/small", exact, PortSecret.signPayload(exact, ts, secret), ts), 400,
        "{\"error\":\"invalid_json\"}");
  }

  @Test
  void notJson() throws Exception {
    refused(signed("not json".getBytes(StandardCharsets.UTF_8), secret, now()), 400,
        "{\"error\":\"invalid_json\"}");
    refused(signed("{\"payload\":{}}".getBytes(StandardCharsets.UTF_8), secret, now()), 400,
        "{\"error\":\"malformed\"}");
  }

  @Test
  void badOptionsFailAtStartup() {
    assertThrows(IllegalArgumentException.class, () -> new PortWebhookFilter(decryptor,
        RunOptions.builder().propertiesPointer("no-slash").build()));
    try (Decryptor keysOnly = Decryptor.builder().privateKeyPem(PortSecret.generateKeyPair()
        .privateKeyPem()).build()) {
      assertThrows(IllegalArgumentException.class, () -> new PortWebhookFilter(keysOnly));
    }
  }
}
