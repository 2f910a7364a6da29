package io.github.portsecret.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.portsecret.Decryptor;
import io.github.portsecret.Delivery;
import io.github.portsecret.RunOptions;
import io.github.portsecret.servlet.PortWebhookFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A Port action backend: receives runs of the demo action "Rotate database credentials"
 * (examples/demo/action.json) on {@code POST /port/actions}, behind {@link PortWebhookFilter}
 * (signature checked on the raw body, every secret input decrypted in one call).
 *
 * <pre>
 *   PORT_CLIENT_SECRET=...          the organisation's client secret (required)
 *   PORT_PRIVATE_KEY_FILE=key.pem   RSA private key for client-side inputs (optional)
 *   PORT_DELIVERY=agent             runs forwarded by port-agent (default: port)
 *   DOWNSTREAM_URL=https://...      your service that applies the new credentials (optional)
 *   PORT=8080                       listens on 127.0.0.1:$PORT
 * </pre>
 *
 * <p>The values go only to DOWNSTREAM_URL: it never logs or returns a decrypted value, nor
 * anything computed from one (no hash, length or part): only the run's id, the action, the
 * entity, and the <em>names</em> of the secret inputs it received.
 */
public final class App {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

  /** Uses the values: POSTs them to your service at DOWNSTREAM_URL. Without it, only holds them. */
  static void rotate(String runId, ObjectNode secrets) throws IOException, InterruptedException {
    String url = System.getenv("DOWNSTREAM_URL");
    if (url == null || url.isEmpty()) return;
    byte[] body = JSON.writeValueAsBytes(JSON.createObjectNode().put("runId", runId).set("secrets", secrets));
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
          .header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
      int status = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status / 100 != 2) throw new IOException("status " + status);
    } finally {
      Arrays.fill(body, (byte) 0);
    }
  }

  /** The handler: the run is in the request attribute, already verified and decrypted. */
  static final class Actions extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
      JsonNode run = JSON.readTree((String) req.getAttribute(PortWebhookFilter.RUN_ATTRIBUTE));
      JsonNode payload = run.path("payload");
      List<String> received = new ArrayList<>();
      ObjectNode secrets = JSON.createObjectNode();
      Iterator<Map.Entry<String, JsonNode>> defs =
          payload.path("action").path("userInputs").path("properties").fields();
      while (defs.hasNext()) {
        Map.Entry<String, JsonNode> def = defs.next();
        JsonNode value = payload.path("properties").get(def.getKey());
        if (def.getValue().has("encryption") && value != null && !value.isNull()) {
          received.add(def.getKey());
          secrets.set(def.getKey(), value); // a TextNode for a string input, an object as is
        }
      }
      String runId = run.path("context").path("runId").asText();
      try {
        rotate(runId, secrets);
      } catch (IOException | InterruptedException e) {
        if (e instanceof InterruptedException) Thread.currentThread().interrupt();
        System.out.println("run " + runId + ": downstream failed (" + e.getClass().getSimpleName() + ")");
        res.setStatus(502);
        res.setContentType("application/json");
        res.getWriter().write("{\"error\":\"downstream_failed\"}");
        return;
      }
      // Names only: never a value.
      System.out.println("run " + runId + ": received " + String.join(", ", received));
      ObjectNode answer = JSON.createObjectNode().put("ok", true)
          .put("runId", run.path("context").path("runId").asText())
          .put("action", run.path("action").asText())
          .put("entity", payload.path("entity").path("identifier").asText());
      answer.putArray("secretInputs").addAll(received.stream().map(JSON.getNodeFactory()::textNode)
          .toList());
      res.setContentType("application/json");
      JSON.writeValue(res.getOutputStream(), answer);
    }
  }

  /** {@code GET /healthz}. */
  static final class Health extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
      res.setContentType("application/json");
      res.getWriter().write("{\"ok\":true}");
    }
  }

  public static void main(String[] args) throws Exception {
    String secret = System.getenv("PORT_CLIENT_SECRET");
    if (secret == null || secret.isEmpty()) {
      System.err.println("PORT_CLIENT_SECRET is not set");
      System.exit(2);
    }
    Decryptor.Builder keys = Decryptor.builder().clientSecret(secret);
    String keyFile = System.getenv("PORT_PRIVATE_KEY_FILE");
    if (keyFile != null && !keyFile.isEmpty()) keys.privateKeyPem(Files.readString(Path.of(keyFile)));
    Decryptor decryptor = keys.build();
    RunOptions options = RunOptions.builder()
        .delivery("agent".equals(System.getenv("PORT_DELIVERY")) ? Delivery.AGENT : Delivery.PORT)
        .build();

    Server server = new Server();
    ServerConnector http = new ServerConnector(server);
    http.setHost("127.0.0.1");
    http.setPort(Integer.parseInt(System.getenv().getOrDefault("PORT", "8080")));
    server.addConnector(http);
    ServletContextHandler context = new ServletContextHandler();
    context.addFilter(new FilterHolder(new PortWebhookFilter(decryptor, options)), "/port/actions",
        EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new Actions()), "/port/actions");
    context.addServlet(new ServletHolder(new Health()), "/healthz");
    server.setHandler(context);
    server.setStopAtShutdown(true);
    server.start();
    System.out.println("listening on http://127.0.0.1:" + http.getLocalPort());
    server.join();
    decryptor.close();
  }
}
