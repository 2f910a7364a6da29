package io.github.portsecret;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * The C ABI of include/port_secret.h, bound with JNA <em>direct mapping</em> (static native
 * methods registered once with {@link Native#register(Class, NativeLibrary)}: no proxy, no
 * reflection per call).
 *
 * <p>Mapping rules (64-bit platforms only, checked at load): {@code const char *} is a
 * NUL-terminated UTF-8 {@code byte[]} built by {@link #cstr}; {@code size_t}, {@code uint64_t},
 * {@code int64_t} are {@code long}; a {@code PortSecretBuffer *} is a {@code long[2]}
 * ({@code data}, {@code len}: the struct's exact layout on LP64/LLP64), copied back after the
 * call; opaque pointers and structs built in native memory are {@link Pointer}s.
 */
final class NativeLib {
  private NativeLib() {}

  /** System property naming a libport_secret to load instead of the one inside the jar. */
  static final String LIBRARY_PATH_PROPERTY = "port_secret.library.path";
  /** Environment variable with the same meaning (the property wins). */
  static final String LIBRARY_PATH_ENV = "PORT_SECRET_LIBRARY_PATH";

  private static final Throwable LOAD_ERROR;
  static final String VERSION;

  static {
    Throwable error = null;
    String version = null;
    try {
      NativeLibrary lib = load();
      Native.register(NativeLib.class, lib);
      version = port_secret_version().getString(0, "UTF-8");
      String expected = jarVersion();
      if (!sameMinor(version, expected)) {
        throw new UnsatisfiedLinkError("port-secret: the native library is version " + version
            + ", this jar needs " + expected);
      }
    } catch (Throwable t) {
      error = t;
    }
    LOAD_ERROR = error;
    VERSION = version;
  }

  /** Throws a clear error when the native library could not be loaded. Cheap: call it first. */
  static void ready() {
    if (LOAD_ERROR != null) {
      UnsatisfiedLinkError e = new UnsatisfiedLinkError(LOAD_ERROR.getMessage());
      e.initCause(LOAD_ERROR);
      throw e;
    }
  }

  private static boolean sameMinor(String a, String b) {
    String[] x = a.split("\\."), y = b.split("\\.");
    return x.length >= 2 && y.length >= 2 && x[0].equals(y[0]) && x[1].equals(y[1]);
  }

  private static String jarVersion() throws IOException {
    Properties p = new Properties();
    try (InputStream in = NativeLib.class.getResourceAsStream("port-secret.properties")) {
      if (in == null) return "0.1.0";
      p.load(in);
    }
    return p.getProperty("version", "0.1.0");
  }

  /** The platform name used in the jar: JNA's {@code Platform.RESOURCE_PREFIX}. */
  static String platform() {
    return Platform.RESOURCE_PREFIX;
  }

  /** The library's file name on this OS. */
  static String fileName() {
    return System.mapLibraryName("port_secret");
  }

  /** The resource path of this platform's library inside the jar. */
  static String resourcePath() {
    return "native/" + platform() + "/" + fileName();
  }

  private static NativeLibrary load() throws IOException {
    int pointerSize, sizeTSize;
    try {
      pointerSize = Native.POINTER_SIZE;
      sizeTSize = Native.SIZE_T_SIZE;
    } catch (LinkageError e) {
      UnsatisfiedLinkError u = new UnsatisfiedLinkError("port-secret: JNA cannot run on platform "
          + platform() + " (" + System.getProperty("os.name") + ", " + System.getProperty("os.arch")
          + "): " + e.getMessage());
      u.initCause(e);
      throw u;
    }
    if (pointerSize != 8 || sizeTSize != 8) {
      throw new UnsatisfiedLinkError("port-secret: needs a 64-bit JVM (platform " + platform() + ")");
    }
    String override = System.getProperty(LIBRARY_PATH_PROPERTY);
    if (override == null || override.isEmpty()) override = System.getenv(LIBRARY_PATH_ENV);
    if (override != null && !override.isEmpty()) {
      return NativeLibrary.getInstance(Paths.get(override).toAbsolutePath().toString());
    }
    String resource = resourcePath();
    try (InputStream in = NativeLib.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new UnsatisfiedLinkError("port-secret: this jar has no native library for platform "
            + platform() + " (looked for io/github/portsecret/" + resource + "); build one with "
            + "`cargo build --release -p port-secret-ffi` and set -D" + LIBRARY_PATH_PROPERTY
            + "=/path/to/" + fileName() + " or " + LIBRARY_PATH_ENV);
      }
      // A private directory (0700 where POSIX permissions exist), the library copied into it,
      // loaded, then deleted: once mapped it stays usable on Linux and macOS.
      boolean posix = Files.getFileAttributeView(
          Paths.get(System.getProperty("java.io.tmpdir")),
          java.nio.file.attribute.PosixFileAttributeView.class) != null;
      Path dir = posix
          ? Files.createTempDirectory("port-secret-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
          : Files.createTempDirectory("port-secret-");
      Path file = dir.resolve(fileName());
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      if (posix) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r-x------"));
      }
      try {
        return NativeLibrary.getInstance(file.toString());
      } finally {
        if (Platform.isWindows()) {
          file.toFile().deleteOnExit();
          dir.toFile().deleteOnExit();
        } else {
          try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** {@code s} as NUL-terminated UTF-8, or {@code null} when it holds a NUL character. */
  static byte[] cstr(String s) {
    if (s.indexOf('\0') >= 0) return null;
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[utf8.length + 1];
    System.arraycopy(utf8, 0, out, 0, utf8.length);
    java.util.Arrays.fill(utf8, (byte) 0);
    return out;
  }

  /**
   * A key, secret, encryption or pointer argument: the C ABI cannot carry a NUL in it.
   * Throws {@code invalid_argument} (naming only the argument's role, never its text).
   */
  static byte[] arg(String s, String what) {
    java.util.Objects.requireNonNull(s, what);
    byte[] b = cstr(s);
    if (b == null) throw new PortSecretException("invalid_argument", null);
    return b;
  }

  /**
   * A value, token, signature, timestamp or JSON text from a request. A NUL is never valid in
   * any of them (not base64, not a signature, never an integer, not allowed raw in JSON), but a
   * C string would end at it; so each NUL is replaced with {@code replacement}, a character that
   * is just as invalid there, and the core then gives exactly the code it gives the original,
   * with every earlier check (the key, the encryption) unchanged.
   */
  static byte[] data(String s, char replacement, String what) {
    java.util.Objects.requireNonNull(s, what);
    byte[] b = cstr(s);
    return b != null ? b : cstr(s.replace('\0', replacement));
  }

  static void wipe(byte[] b) {
    if (b != null) java.util.Arrays.fill(b, (byte) 0);
  }

  /** The bytes of a filled buffer (copied), then the buffer freed (zeroed natively). */
  static byte[] take(long[] buf) {
    try {
      if (buf[0] == 0) return new byte[0];
      if (buf[1] > Integer.MAX_VALUE - 16) throw new PortSecretException("malformed");
      return new Pointer(buf[0]).getByteArray(0, (int) buf[1]);
    } finally {
      port_secret_buffer_free(buf);
    }
  }

  /** The text of a filled buffer (UTF-8), the intermediate copy wiped, the buffer freed. */
  static String takeText(long[] buf) {
    byte[] b = take(buf);
    try {
      return new String(b, StandardCharsets.UTF_8);
    } finally {
      wipe(b);
    }
  }

  /** Throws the status's exception unless it is OK; frees {@code error_input} either way. */
  static void check(int status, long[] errorInput) {
    if (status == 0) {
      if (errorInput != null) port_secret_buffer_free(errorInput);
      return;
    }
    String input = null;
    if (errorInput != null && errorInput[0] != 0) input = takeText(errorInput);
    else if (errorInput != null) port_secret_buffer_free(errorInput);
    throw new PortSecretException(code(status), input);
  }

  static void check(int status) {
    check(status, null);
  }

  private static final String[] CODES = {
    "ok", "invalid_base64", "malformed", "authentication_failed", "invalid_key", "invalid_utf8",
    "invalid_json", "expired", "unsupported_encryption", "invalid_signature", "invalid_argument",
    "internal",
  };

  static String code(int status) {
    if (status >= 0 && status < CODES.length) return CODES[status];
    return port_secret_status_str(status).getString(0, "UTF-8");
  }

  // ---- the C ABI -----------------------------------------------------------------------------

  static native Pointer port_secret_version();

  static native Pointer port_secret_status_str(int status);

  static native void port_secret_buffer_free(long[] buf);

  static native int port_secret_decrypt_aes256_gcm(byte[] value, byte[] secret, long[] out);

  static native int port_secret_decrypt_aes256_gcm_bytes(byte[] value, byte[] secret, long[] out);

  static native int port_secret_decrypt_client_side(byte[] value, byte[] pem, long[] out);

  static native int port_secret_decrypt_client_side_bytes(byte[] value, byte[] pem, long[] out);

  static native int port_secret_decrypt_fernet(byte[] token, byte[] secret, long ttl, long[] out);

  static native int port_secret_decrypt_fernet_bytes(
      byte[] token, byte[] secret, long ttl, long[] out);

  static native int port_secret_decrypt_fernet_bytes_at(
      byte[] token, byte[] secret, long ttl, long nowUnix, long[] out);

  static native int port_secret_encrypt_aes256_gcm(
      byte[] plaintext, long len, byte[] key, long[] out);

  static native int port_secret_encrypt_client_side(
      byte[] plaintext, long len, byte[] key, long[] out);

  static native int port_secret_encrypt_fernet(byte[] plaintext, long len, byte[] key, long[] out);

  static native int port_secret_generate_key_pair(long bits, long[] privatePem, long[] publicPem);

  static native int port_secret_sign_payload(
      byte[] body, long bodyLen, byte[] timestamp, byte[] secret, long[] out);

  static native int port_secret_verify_signature(
      byte[] body, long bodyLen, byte[] signature, byte[] timestamp, byte[] secret, long tolerance);

  static native int port_secret_verify_signature_at(
      byte[] body, long bodyLen, byte[] signature, byte[] timestamp, byte[] secret, long tolerance,
      long nowUnix);

  static native int port_secret_decryptor_new(
      Pointer secrets, long nSecrets, Pointer keys, long nKeys, long[] out);

  static native int port_secret_decryptor_options_init(Pointer options, long size);

  static native int port_secret_decryptor_new_with(Pointer options, long[] out);

  static native void port_secret_decryptor_free(Pointer d);

  static native int port_secret_decryptor_decrypt(
      Pointer d, byte[] value, byte[] encryption, long[] out);

  static native int port_secret_decryptor_decrypt_bytes(
      Pointer d, byte[] value, byte[] encryption, long[] out);

  static native int port_secret_decryptor_decrypt_json(
      Pointer d, byte[] value, byte[] encryption, long[] out);

  static native int port_secret_decryptor_decrypt_properties(
      Pointer d, byte[] properties, byte[] userInputs, long[] out, long[] errorInput);

  static native int port_secret_decryptor_verify_signature(
      Pointer d, byte[] body, long bodyLen, byte[] signature, byte[] timestamp, long tolerance);

  static native int port_secret_decryptor_open_webhook(
      Pointer d, byte[] body, long bodyLen, Pointer headers, long nHeaders, Pointer options,
      long[] out, long[] errorInput);

  static native int port_secret_decryptor_open_kafka_message(
      Pointer d, byte[] message, long messageLen, Pointer options, long[] out, long[] errorInput);
}
