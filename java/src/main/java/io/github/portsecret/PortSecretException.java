package io.github.portsecret;

import java.util.Map;

/**
 * A refusal from port-secret: {@link #getCode()} is one of the taxonomy strings shared by every
 * language ({@code invalid_base64}, {@code malformed}, {@code authentication_failed},
 * {@code invalid_key}, {@code invalid_utf8}, {@code invalid_json}, {@code expired},
 * {@code unsupported_encryption}, {@code invalid_signature}), or {@code invalid_argument} (an
 * argument the C ABI cannot take, e.g. a key with a NUL character) or {@code internal} (a bug in
 * the library).
 *
 * <p>Unchecked: a refused value is data from the network, handled once where the request is
 * answered (a servlet filter, a Spring {@code @ExceptionHandler}), not at every call; Java's own
 * crypto exceptions force checked handling that callers mostly wrap anyway. The message never
 * contains a value, a key or a plaintext: only the code, its meaning, and the input's name.
 */
public final class PortSecretException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private static final Map<String, String> MEANING = Map.ofEntries(
      Map.entry("invalid_base64", "the value is not strict base64"),
      Map.entry("malformed", "the value or delivery has the wrong layout or size"),
      Map.entry("authentication_failed", "wrong key or tampered value"),
      Map.entry("invalid_key", "the key or client secret is unusable"),
      Map.entry("invalid_utf8", "the plaintext is not UTF-8"),
      Map.entry("invalid_json", "text that should be JSON does not parse"),
      Map.entry("expired", "outside its time window"),
      Map.entry("unsupported_encryption", "unknown encryption"),
      Map.entry("invalid_signature", "the webhook signature does not match"),
      Map.entry("invalid_argument", "an argument the library cannot take"),
      Map.entry("internal", "a bug in port-secret; please report it"));

  private final String code;
  private final String input;

  /**
   * @param code the taxonomy string
   * @param input the name of the input the error is about, or {@code null}
   */
  public PortSecretException(String code, String input) {
    super(message(code, input));
    this.code = code;
    this.input = input;
  }

  /** @param code the taxonomy string */
  public PortSecretException(String code) {
    this(code, null);
  }

  private static String message(String code, String input) {
    String text = code + ": " + MEANING.getOrDefault(code, "error");
    return input == null ? text : text + " (input " + Json.quote(input) + ")";
  }

  /** The taxonomy string, e.g. {@code "authentication_failed"}. */
  public String getCode() {
    return code;
  }

  /**
   * The name of the input the error is about (a run or {@code decryptProperties} whose input
   * failed), never its value; {@code null} when the error names none. {@code ""} is a real name.
   */
  public String getInput() {
    return input;
  }
}
