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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 *   PORT=8080                       listens on 127.0.0.1:$PORT
 * </pre>
 *
 * <p>It never logs or returns a decrypted value, nor anything computed from one: only the run's
 * id, the action, the entity, and the <em>names</em> of the secret inputs it received.
 */
public final class App {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The handler: the run is in the request attribute, already verified and decrypted. */
  static final class Actions extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
      JsonNode run = JSON.readTree((String) req.getAttribute(PortWebhookFilter.RUN_ATTRIBUTE));
      JsonNode payload = run.path("payload");
      List<String> received = new ArrayList<>();
      Iterator<Map.Entry<String, JsonNode>> defs =
          payload.path("action").path("userInputs").path("properties").fields();
      while (defs.hasNext()) {
        Map.Entry<String, JsonNode> def = defs.next();
        JsonNode value = payload.path("properties").get(def.getKey());
        if (def.getValue().has("encryption") && value != null && !value.isNull()) {
          received.add(def.getKey());
          // A real backend uses the value here: value.asText() for a string input, the
          // JsonNode itself for an object input (e.g. connection settings).
        }
      }
      // Names only: never a value.
      System.out.println("run " + run.path("context").path("runId").asText() + ": received "
          + String.join(", ", received));
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
