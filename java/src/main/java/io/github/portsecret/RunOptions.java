package io.github.portsecret;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How to open a run ({@code PortSecretRunOptions} in C): every option of the C ABI, built once
 * and reused for every delivery. Immutable and thread-safe: the native struct is written once,
 * when {@link Builder#build()} runs, and only read by the library afterwards.
 *
 * <pre>{@code
 * RunOptions options = RunOptions.builder().delivery(Delivery.AGENT).toleranceSeconds(600).build();
 * }</pre>
 */
public final class RunOptions {
  /** Port's deliveries: {@code Delivery.PORT}, signature checked, 300 s, the default caps. */
  public static final RunOptions DEFAULT = builder().build();

  // PortSecretRunOptions on LP64 / LLP64 (the C layout, fields at their natural alignment).
  static final int OFF_DELIVERY = 0;
  static final int OFF_VERIFY = 4;
  static final int OFF_TOLERANCE = 8;
  static final int OFF_USER_INPUTS = 16;
  static final int OFF_USER_INPUTS_POINTER = 24;
  static final int OFF_PROPERTIES_POINTER = 32;
  static final int OFF_DEFAULT_ENCRYPTION = 40;
  static final int OFF_MAX_BODY = 48;
  static final int OFF_MAX_CLIENT_SIDE = 56;
  static final int OFF_HAS_NOW = 64;
  static final int OFF_NOW = 72;
  static final int SIZE = 80;

  private final Delivery delivery;
  private final boolean verifySignature;
  private final long toleranceSeconds;
  private final String userInputsJson;
  private final String userInputsPointer;
  private final String propertiesPointer;
  private final String defaultEncryption;
  private final long maxBody;
  private final long maxClientSideInputs;
  private final Long now;
  /** The struct, or null when every option is the default (the C ABI then gets NULL). */
  private final Memory struct;
  /** The strings the struct points to, kept alive with it. */
  private final List<Memory> strings;

  private RunOptions(Builder b) {
    delivery = b.delivery;
    verifySignature = b.verifySignature;
    toleranceSeconds = b.toleranceSeconds;
    userInputsJson = b.userInputsJson;
    userInputsPointer = b.userInputsPointer;
    propertiesPointer = b.propertiesPointer;
    defaultEncryption = b.defaultEncryption;
    maxBody = b.maxBody;
    maxClientSideInputs = b.maxClientSideInputs;
    now = b.now;
    boolean allDefault = delivery == Delivery.PORT && verifySignature
        && toleranceSeconds == PortSecret.DEFAULT_TOLERANCE_SECONDS && userInputsJson == null
        && userInputsPointer == null && propertiesPointer == null && defaultEncryption == null
        && maxBody == 0 && maxClientSideInputs == 0 && now == null;
    strings = new ArrayList<>();
    if (allDefault) {
      struct = null;
      return;
    }
    NativeLib.ready();
    struct = new Memory(SIZE);
    struct.clear();
    struct.setInt(OFF_DELIVERY, delivery.abi);
    struct.setByte(OFF_VERIFY, (byte) (verifySignature ? 1 : 0));
    struct.setLong(OFF_TOLERANCE, toleranceSeconds);
    struct.setPointer(OFF_USER_INPUTS, text(userInputsJson, '\u0001'));
    struct.setPointer(OFF_USER_INPUTS_POINTER, text(userInputsPointer, (char) 0));
    struct.setPointer(OFF_PROPERTIES_POINTER, text(propertiesPointer, (char) 0));
    struct.setPointer(OFF_DEFAULT_ENCRYPTION, text(defaultEncryption, (char) 0));
    struct.setLong(OFF_MAX_BODY, maxBody);
    struct.setLong(OFF_MAX_CLIENT_SIDE, maxClientSideInputs);
    struct.setByte(OFF_HAS_NOW, (byte) (now != null ? 1 : 0));
    struct.setLong(OFF_NOW, now != null ? now : 0);
  }

  /** A C string for an option; {@code replacement} for a NUL in JSON text, 0: refused. */
  private Pointer text(String s, char replacement) {
    if (s == null) return null;
    byte[] b = replacement != 0 ? NativeLib.data(s, replacement, "option")
        : NativeLib.arg(s, "option");
    Memory m = new Memory(b.length);
    m.write(0, b, 0, b.length);
    strings.add(m);
    return m;
  }

  /** The struct to pass, or null for the defaults. */
  Pointer pointer() {
    return struct;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.delivery = delivery;
    b.verifySignature = verifySignature;
    b.toleranceSeconds = toleranceSeconds;
    b.userInputsJson = userInputsJson;
    b.userInputsPointer = userInputsPointer;
    b.propertiesPointer = propertiesPointer;
    b.defaultEncryption = defaultEncryption;
    b.maxBody = maxBody;
    b.maxClientSideInputs = maxClientSideInputs;
    b.now = now;
    return b;
  }

  /** How the webhook was signed. */
  public Delivery delivery() {
    return delivery;
  }

  /** Whether the signature and the timestamp are checked. */
  public boolean verifySignature() {
    return verifySignature;
  }

  /** The timestamp tolerance, in seconds. */
  public long toleranceSeconds() {
    return toleranceSeconds;
  }

  /** The largest delivery accepted, in bytes (the default, 1 MiB, when not set). */
  public long maxBody() {
    return maxBody == 0 ? PortSecret.DEFAULT_MAX_BODY : maxBody;
  }

  /** The most client-side inputs one run may carry. */
  public long maxClientSideInputs() {
    return maxClientSideInputs == 0 ? PortSecret.DEFAULT_MAX_CLIENT_SIDE_INPUTS : maxClientSideInputs;
  }

  /** The action's input definitions as JSON text, or null (from the body). */
  public String userInputsJson() {
    return userInputsJson;
  }

  /** The JSON pointer to the definitions, or null ({@code /payload/action/userInputs}). */
  public String userInputsPointer() {
    return userInputsPointer;
  }

  /** The JSON pointer to the values, or null ({@code /payload/properties}). */
  public String propertiesPointer() {
    return propertiesPointer;
  }

  /** The encryption of inputs known only by name, or null ({@code aes256-gcm}). */
  public String defaultEncryption() {
    return defaultEncryption;
  }

  /** The fixed clock, or null (the system clock). */
  public Instant now() {
    return now == null ? null : Instant.ofEpochSecond(now);
  }

  @Override
  public String toString() {
    return "RunOptions[delivery=" + delivery + ", verifySignature=" + verifySignature
        + ", toleranceSeconds=" + toleranceSeconds + ", userInputs="
        + (userInputsJson == null ? "from the body" : userInputsJson.length() + " chars of JSON")
        + ", userInputsPointer=" + userInputsPointer + ", propertiesPointer=" + propertiesPointer
        + ", defaultEncryption=" + defaultEncryption + ", maxBody=" + maxBody()
        + ", maxClientSideInputs=" + maxClientSideInputs() + ", now=" + now() + "]";
  }

  /** Builds {@link RunOptions}; every setter checks its argument. */
  public static final class Builder {
    private Delivery delivery = Delivery.PORT;
    private boolean verifySignature = true;
    private long toleranceSeconds = PortSecret.DEFAULT_TOLERANCE_SECONDS;
    private String userInputsJson;
    private String userInputsPointer;
    private String propertiesPointer;
    private String defaultEncryption;
    private long maxBody;
    private long maxClientSideInputs;
    private Long now;

    private Builder() {}

    /** {@link Delivery#PORT} (default) or {@link Delivery#AGENT}; Kafka messages ignore it. */
    public Builder delivery(Delivery delivery) {
      this.delivery = Objects.requireNonNull(delivery, "delivery");
      return this;
    }

    /**
     * Check the signature and the timestamp (default true). Turn it off only behind something
     * that checked them.
     */
    public Builder verifySignature(boolean verify) {
      this.verifySignature = verify;
      return this;
    }

    /** Largest distance between the timestamp and now, in seconds (default 300; 0: same second). */
    public Builder toleranceSeconds(long seconds) {
      PortSecret.requireNonNegative(seconds, "toleranceSeconds");
      this.toleranceSeconds = seconds;
      return this;
    }

    /** {@link #toleranceSeconds(long)} from a duration (whole seconds). */
    public Builder tolerance(Duration tolerance) {
      return toleranceSeconds(tolerance.getSeconds());
    }

    /**
     * The action's input definitions as JSON text: its {@code userInputs} (with
     * {@code properties}), that {@code properties} map, or an array of the secret inputs' names.
     * Default (null): from the body, see {@link #userInputsPointer(String)}.
     */
    public Builder userInputsJson(String json) {
      this.userInputsJson = json;
      return this;
    }

    /** {@link #userInputsJson(String)} as a JSON array of secret input names. */
    public Builder secretInputNames(List<String> names) {
      StringBuilder b = new StringBuilder("[");
      for (String n : names) {
        if (b.length() > 1) b.append(',');
        b.append(Json.quote(Objects.requireNonNull(n, "name")));
      }
      return userInputsJson(b.append(']').toString());
    }

    /** JSON pointer (RFC 6901) to the definitions in the body; null: {@code /payload/action/userInputs}. */
    public Builder userInputsPointer(String pointer) {
      this.userInputsPointer = pointer;
      return this;
    }

    /** JSON pointer to the inputs' values in the body; null: {@code /payload/properties}. */
    public Builder propertiesPointer(String pointer) {
      this.propertiesPointer = pointer;
      return this;
    }

    /**
     * The encryption of inputs known only by name: JSON text ({@code "\"fernet\""},
     * {@code {"algorithm":"client-side"}}) or a bare name ({@code fernet}); null: aes256-gcm.
     */
    public Builder defaultEncryption(String encryption) {
      this.defaultEncryption = encryption;
      return this;
    }

    /** Largest delivery accepted, in bytes (larger is {@code malformed}); 0: the default, 1 MiB. */
    public Builder maxBody(long bytes) {
      PortSecret.requireNonNegative(bytes, "maxBody");
      this.maxBody = bytes;
      return this;
    }

    /** Most client-side inputs (with a value) per run; 0: the default, 64. */
    public Builder maxClientSideInputs(long n) {
      PortSecret.requireNonNegative(n, "maxClientSideInputs");
      this.maxClientSideInputs = n;
      return this;
    }

    /** A fixed current time instead of the system clock: for replays and tests. */
    public Builder now(Instant now) {
      this.now = now == null ? null : now.getEpochSecond();
      return this;
    }

    /** {@link #now(Instant)} in unix seconds. */
    public Builder nowEpochSeconds(long seconds) {
      this.now = seconds;
      return this;
    }

    /** The options (the native struct is written here, once). */
    public RunOptions build() {
      return new RunOptions(this);
    }
  }
}
