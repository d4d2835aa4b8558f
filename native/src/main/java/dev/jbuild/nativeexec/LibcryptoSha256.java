package dev.jbuild.nativeexec;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import dev.jbuild.oci.Digest;
import java.security.MessageDigest;
import java.security.ProviderException;
import java.util.Arrays;

/**
 * SHA-256 that gathers its first 64 KiB in a Java array and, past that, hands the work to OpenSSL's
 * {@code SHA256_Init/Update/Final} (JNA direct mapping); a digest that ends below the threshold is
 * made by the JDK in one call. The OpenSSL context lives in a Java array (112 bytes in OpenSSL 3),
 * so a digest owns no native memory and clones by copying. Past the threshold, small updates are
 * gathered too, so a call into C carries at least 4 KiB or the rest.
 */
final class LibcryptoSha256 extends MessageDigest implements Cloneable {
  private static final int CONTEXT_BYTES = 128; // sizeof(SHA256_CTX) is 112; room to spare
  private static final int THRESHOLD = 64 * 1024;
  private static final int GATHER_BYTES = 4096;
  private static final ThreadLocal<MessageDigest> SMALL = ThreadLocal.withInitial(Digest::jdkSha256);

  /** The bound functions; loading fails softly, then {@link #available()} says no. */
  private static final class Lib {
    static final boolean LOADED = load();

    private static boolean load() {
      JnaSetup.avoidLdconfig();
      try {
        Native.register(Lib.class, NativeLibrary.getInstance("libcrypto.so.3"));
        byte[] ctx = new byte[CONTEXT_BYTES];
        byte[] out = new byte[32];
        // a known answer before trusting it: SHA-256("abc")
        return SHA256_Init(ctx) == 1 && SHA256_Update(ctx, new byte[] {'a', 'b', 'c'}, 3) == 1
            && SHA256_Final(out, ctx) == 1 && java.util.HexFormat.of().formatHex(out)
                .equals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
      } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
        return false;
      }
    }

    static native int SHA256_Init(byte[] ctx);

    static native int SHA256_Update(byte[] ctx, byte[] data, long len);

    static native int SHA256_Final(byte[] md, byte[] ctx);
  }

  private byte[] gathered = new byte[256];
  private int gatheredLength;
  private byte[] ctx; // OpenSSL's state once past the threshold
  private MessageDigest jdk; // past the threshold without libcrypto
  private byte[] scratch; // for large updates that do not start at offset 0

  static boolean available() {
    return Lib.LOADED;
  }

  LibcryptoSha256() {
    super("SHA-256");
  }

  /** Whether this digest's bytes went to OpenSSL (for tests). */
  boolean usesLibcrypto() {
    return ctx != null;
  }

  @Override
  protected int engineGetDigestLength() {
    return 32;
  }

  @Override
  protected void engineUpdate(byte input) {
    if (jdk == null && gatheredLength < gathered.length) {
      gathered[gatheredLength++] = input;
      return;
    }
    engineUpdate(new byte[] {input}, 0, 1);
  }

  @Override
  protected void engineUpdate(byte[] input, int offset, int len) {
    if (jdk != null) {
      jdk.update(input, offset, len);
      return;
    }
    if (ctx == null) {
      if (gatheredLength + len <= THRESHOLD) {
        gather(input, offset, len);
        return;
      }
      if (!available()) {
        jdk = Digest.jdkSha256();
        jdk.update(gathered, 0, gatheredLength);
        jdk.update(input, offset, len);
        gatheredLength = 0;
        return;
      }
      ctx = new byte[CONTEXT_BYTES];
      check(Lib.SHA256_Init(ctx));
    }
    if (len <= GATHER_BYTES - gatheredLength) {
      gather(input, offset, len);
      return;
    }
    flush();
    if (len < GATHER_BYTES) {
      gather(input, offset, len);
    } else if (offset == 0) {
      check(Lib.SHA256_Update(ctx, input, len));
    } else {
      if (scratch == null) {
        scratch = new byte[64 * 1024];
      }
      for (int done = 0; done < len; ) {
        int n = Math.min(scratch.length, len - done);
        System.arraycopy(input, offset + done, scratch, 0, n);
        check(Lib.SHA256_Update(ctx, scratch, n));
        done += n;
      }
    }
  }

  private void gather(byte[] input, int offset, int len) {
    if (gatheredLength + len > gathered.length) {
      gathered = Arrays.copyOf(gathered, Math.max(gatheredLength + len, Math.min(THRESHOLD, gathered.length * 2)));
    }
    System.arraycopy(input, offset, gathered, gatheredLength, len);
    gatheredLength += len;
  }

  @Override
  protected byte[] engineDigest() {
    byte[] out;
    if (jdk != null) {
      out = jdk.digest();
    } else if (ctx == null) {
      MessageDigest small = SMALL.get();
      small.update(gathered, 0, gatheredLength);
      out = small.digest();
    } else {
      flush();
      out = new byte[32];
      check(Lib.SHA256_Final(out, ctx));
    }
    engineReset();
    return out;
  }

  @Override
  protected void engineReset() {
    gatheredLength = 0;
    ctx = null;
    jdk = null;
  }

  @Override
  public Object clone() throws CloneNotSupportedException {
    LibcryptoSha256 copy = (LibcryptoSha256) super.clone();
    copy.gathered = gathered.clone();
    copy.ctx = ctx == null ? null : ctx.clone();
    copy.jdk = jdk == null ? null : (MessageDigest) jdk.clone();
    copy.scratch = null;
    return copy;
  }

  private void flush() {
    if (gatheredLength > 0) {
      check(Lib.SHA256_Update(ctx, gathered, gatheredLength));
      gatheredLength = 0;
    }
  }

  private static void check(int result) {
    if (result != 1) {
      throw new ProviderException("libcrypto SHA-256 failed");
    }
  }
}
