// The native-access choice, measured: the same two C functions called through JNA direct
// mapping (what the library uses) and through the FFM API (java.lang.foreign, final in Java 22),
// on the same JVM. Run with a Java 22+ launcher in source-file mode (see run.sh):
//
//   java --enable-native-access=ALL-UNNAMED -cp <port-secret jar>:<jna jar> FfmVsJna.java LIB
//
// Calls: port_secret_status_str(3) (the bare cost of a call: no work in C) and
// port_secret_decrypt_aes256_gcm_bytes on a 100-byte value (strings in, a buffer out and freed).
// 2 s warm-up per case, then 5 interleaved rounds of ~1 s each; the median is reported.
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongSupplier;

public class FfmVsJna {
  static long sink;

  static double round(LongSupplier call) {
    long n = 0, t0 = System.nanoTime(), t1;
    do {
      for (int i = 0; i < 100; i++) sink += call.getAsLong();
      n += 100;
      t1 = System.nanoTime();
    } while (t1 - t0 < 1_000_000_000L);
    return (double) (t1 - t0) / n;
  }

  /** Interleaved rounds (one of each case, 5 times) after a 2 s warm-up of each; medians. */
  static double[] measure(String[] names, LongSupplier... calls) {
    for (LongSupplier c : calls) {
      long end = System.nanoTime() + 2_000_000_000L;
      while (System.nanoTime() < end) for (int i = 0; i < 100; i++) sink += c.getAsLong();
    }
    double[][] rounds = new double[calls.length][5];
    for (int r = 0; r < 5; r++) for (int i = 0; i < calls.length; i++) rounds[i][r] = round(calls[i]);
    double[] ns = new double[calls.length];
    for (int i = 0; i < calls.length; i++) {
      Arrays.sort(rounds[i]);
      ns[i] = rounds[i][2];
      System.out.printf(Locale.ROOT, "| %s | %,.0f ns |%n", names[i], ns[i]);
    }
    return ns;
  }

  /** JNA direct mapping, as io.github.portsecret.NativeLib binds it. */
  static final class Jna {
    static native Pointer port_secret_status_str(int status);

    static native int port_secret_decrypt_aes256_gcm_bytes(byte[] value, byte[] secret, long[] out);

    static native void port_secret_buffer_free(long[] buf);
  }

  static byte[] cstr(String s) {
    return (s + "\0").getBytes(StandardCharsets.UTF_8);
  }

  public static void main(String[] args) throws Throwable {
    String lib = Path.of(args[0]).toAbsolutePath().toString();
    String secret = "Qe5vT1rXk2mZ8pLw4sNh7yBc0dFg3jKaRt6uVw9xYz1AbCdEfGhIjKlMnOpQrStU";
    byte[] plain = new byte[100];
    Arrays.fill(plain, (byte) 'a');
    String value = io.github.portsecret.PortSecret.encryptAes256Gcm(plain, secret);

    Native.register(Jna.class, NativeLibrary.getInstance(lib));

    Linker linker = Linker.nativeLinker();
    SymbolLookup lookup = SymbolLookup.libraryLookup(Path.of(lib), Arena.global());
    MethodHandle statusStr = linker.downcallHandle(lookup.find("port_secret_status_str").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    MethodHandle decrypt = linker.downcallHandle(
        lookup.find("port_secret_decrypt_aes256_gcm_bytes").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
            ValueLayout.ADDRESS));
    MethodHandle free = linker.downcallHandle(lookup.find("port_secret_buffer_free").orElseThrow(),
        FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));

    System.out.println("java " + System.getProperty("java.version") + ", JNA " + Native.VERSION);
    System.out.println();
    System.out.println("| call | per call |");
    System.out.println("|---|---|");
    // FFM at its best for a one-thread loop: the arguments are written into one scratch segment
    // allocated once (a slicing allocator per call), no Arena opened per call.
    MemorySegment scratch = Arena.global().allocate(4096);
    LongSupplier jnaEmptyCall = () -> Pointer.nativeValue(Jna.port_secret_status_str(3));
    LongSupplier ffmEmptyCall = () -> {
      try {
        return ((MemorySegment) statusStr.invokeExact(3)).address();
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    };
    LongSupplier jnaGcmCall = () -> {
      long[] out = new long[2];
      int st = Jna.port_secret_decrypt_aes256_gcm_bytes(cstr(value), cstr(secret), out);
      byte[] pt = new Pointer(out[0]).getByteArray(0, (int) out[1]);
      Jna.port_secret_buffer_free(out);
      return st + pt.length;
    };
    LongSupplier ffmGcmCall = () -> {
      try {
        SegmentAllocator alloc = SegmentAllocator.slicingAllocator(scratch);
        MemorySegment v = alloc.allocateFrom(value), s = alloc.allocateFrom(secret);
        MemorySegment out = alloc.allocate(16, 8);
        int st = (int) decrypt.invokeExact(v, s, out);
        long len = out.get(ValueLayout.JAVA_LONG, 8);
        byte[] pt = out.get(ValueLayout.ADDRESS, 0).reinterpret(len).toArray(ValueLayout.JAVA_BYTE);
        free.invokeExact(out);
        return st + pt.length;
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    };
    double[] ns = measure(new String[] {
        "JNA direct mapping: `port_secret_status_str(3)` (no work in C)",
        "FFM: `port_secret_status_str(3)` (no work in C)",
        "JNA direct mapping: `port_secret_decrypt_aes256_gcm_bytes`, 100 B, buffer read and freed",
        "FFM: `port_secret_decrypt_aes256_gcm_bytes`, 100 B, buffer read and freed"},
        jnaEmptyCall, ffmEmptyCall, jnaGcmCall, ffmGcmCall);
    double jnaEmpty = ns[0], ffmEmpty = ns[1], jnaGcm = ns[2], ffmGcm = ns[3];
    System.out.println();
    System.out.printf(Locale.ROOT, "ratio: a bare call takes %.2fx as long through JNA as through "
        + "FFM (%+,.0f ns); a 100 B aes256-gcm decrypt %.2fx (%+,.0f ns)%n", jnaEmpty / ffmEmpty,
        jnaEmpty - ffmEmpty, jnaGcm / ffmGcm, jnaGcm - ffmGcm);
    System.out.println("(checksum " + (sink & 1) + ")");
  }
}
