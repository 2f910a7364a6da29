package io.github.portsecret.servlet;

import io.github.portsecret.Decryptor;
import io.github.portsecret.Headers;
import io.github.portsecret.PortSecretException;
import io.github.portsecret.RunOptions;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.Objects;

/**
 * A Servlet filter (Jakarta Servlet 5+: Tomcat 10+, Jetty 11+, Spring Boot 3+, Quarkus, ...) that
 * opens Port runs: it reads the raw body (at most {@code maxBody} bytes), makes the one
 * {@link Decryptor#openWebhook} call, and hands the run to the application as the request
 * attribute {@link #RUN_ATTRIBUTE}: the whole body as compact JSON text, every secret input
 * decrypted. Refused requests never reach the application:
 *
 * <ul>
 *   <li>401 {@code {"error": "invalid_signature" | "expired"}}: a missing or bad
 *       {@code x-port-signature}, or {@code x-port-timestamp} more than the tolerance away;
 *   <li>400 {@code {"error": code, "input": name}}: a secret input that fails to decrypt;
 *   <li>400 {@code {"error": code}}: any other refusal ({@code invalid_json}, {@code malformed});
 *   <li>413 {@code {"error": "body_too_large"}}: a body over {@code maxBody} (1 MiB by default).
 * </ul>
 *
 * <p>Map it to the webhook path only (it consumes the body). In Spring Boot: a
 * {@code FilterRegistrationBean<PortWebhookFilter>} with {@code addUrlPatterns("/port/actions")};
 * the controller then takes {@code @RequestAttribute(PortWebhookFilter.RUN_ATTRIBUTE) String run}.
 * Thread-safe: one instance serves every request.
 */
public final class PortWebhookFilter implements Filter {
  /** The request attribute holding the run (a {@code String} of JSON). */
  public static final String RUN_ATTRIBUTE = "io.github.portsecret.run";

  private final Decryptor decryptor;
  private final RunOptions options;
  private final long maxBody;

  /** A filter for Port's own webhooks ({@link RunOptions#DEFAULT}). */
  public PortWebhookFilter(Decryptor decryptor) {
    this(decryptor, RunOptions.DEFAULT);
  }

  /**
   * A filter with these options; the body cap is {@link RunOptions#maxBody()}. The options are
   * checked here, once (an empty body opened without signature check must fail only because it is
   * not JSON), so a bad pointer or definition fails at start-up, not on the first run.
   */
  public PortWebhookFilter(Decryptor decryptor, RunOptions options) {
    this.decryptor = Objects.requireNonNull(decryptor, "decryptor");
    this.options = Objects.requireNonNull(options, "options");
    this.maxBody = options.maxBody();
    if (options.verifySignature() && decryptor.clientSecretCount() == 0) {
      throw new IllegalArgumentException(
          "PortWebhookFilter: verifying signatures needs a Decryptor with a client secret");
    }
    try {
      decryptor.openWebhook(new byte[0], new Headers(),
          options.toBuilder().verifySignature(false).build());
      throw new AssertionError("an empty body opened as a run");
    } catch (PortSecretException e) {
      if (!e.getCode().equals("invalid_json")) {
        throw new IllegalArgumentException("PortWebhookFilter: bad options: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest) || !(res instanceof HttpServletResponse)) {
      chain.doFilter(req, res);
      return;
    }
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    byte[] body = readBody(request);
    if (body == null) {
      refuse(response, 413, "body_too_large", null);
      return;
    }
    Headers headers = new Headers();
    Enumeration<String> names = request.getHeaderNames();
    while (names != null && names.hasMoreElements()) {
      String name = names.nextElement();
      Enumeration<String> values = request.getHeaders(name);
      while (values != null && values.hasMoreElements()) headers.add(name, values.nextElement());
    }
    String run;
    try {
      run = decryptor.openWebhook(body, headers, options);
    } catch (PortSecretException e) {
      String code = e.getCode();
      boolean unauthenticated = code.equals("invalid_signature") || code.equals("expired");
      refuse(response, unauthenticated ? 401 : 400, code, unauthenticated ? null : e.getInput());
      return;
    }
    request.setAttribute(RUN_ATTRIBUTE, run);
    try {
      chain.doFilter(request, response);
    } finally {
      request.removeAttribute(RUN_ATTRIBUTE);
    }
  }

  /** The raw body, or null when it is over the cap (by Content-Length, or as read). */
  private byte[] readBody(HttpServletRequest request) throws IOException {
    long declared = request.getContentLengthLong();
    if (declared > maxBody) return null;
    int initial = (int) Math.min(declared >= 0 ? declared : 8192, maxBody);
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(initial, 32));
    byte[] chunk = new byte[8192];
    try (InputStream in = request.getInputStream()) {
      long total = 0;
      for (int n; (n = in.read(chunk)) > 0; ) {
        total += n;
        if (total > maxBody) return null;
        out.write(chunk, 0, n);
      }
    } finally {
      Arrays.fill(chunk, (byte) 0);
    }
    return out.toByteArray();
  }

  private static void refuse(HttpServletResponse response, int status, String code, String input)
      throws IOException {
    String json = "{\"error\":" + quote(code)
        + (input == null ? "" : ",\"input\":" + quote(input)) + "}";
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }

  /** A JSON string literal. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20 || c == 0x2028 || c == 0x2029) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }
}
