package dev.jbuild.nativeexec;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.security.MessageDigestSpi;
import java.security.ProviderException;

/**
 * OpenSSL's {@code SHA256_Init/Update/Final} through JNA direct mapping. The context lives in a
 * Java array (112 bytes in OpenSSL 3), so a digest owns no native memory and clones by copying;
 * small updates are gathered in a Java buffer, so a call into C carries at least 4 KiB or the rest.
 */
final class LibcryptoSha256 extends MessageDigestSpi implements Cloneable {
  private static final int CONTEXT_BYTES = 128; // sizeof(SHA256_CTX) is 112; room to spare
  private static final int GATHER_BYTES = 4096;

  /** The bound functions; loading fails softly, then {@link #available()} says no. */
  private static final class Lib {
    static final boolean LOADED = load();

    private static boolean load() {
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

  private byte[] ctx = new byte[CONTEXT_BYTES];
  private byte[] gathered = new byte[GATHER_BYTES];
  private int gatheredLength;
  private byte[] scratch; // for large updates that do not start at offset 0

  static boolean available() {
    return Lib.LOADED;
  }

  LibcryptoSha256() {
    engineReset();
  }

  @Override
  protected int engineGetDigestLength() {
    return 32;
  }

  @Override
  protected void engineUpdate(byte input) {
    if (gatheredLength == GATHER_BYTES) {
      flush();
    }
    gathered[gatheredLength++] = input;
  }

  @Override
  protected void engineUpdate(byte[] input, int offset, int len) {
    if (len <= GATHER_BYTES - gatheredLength) {
      System.arraycopy(input, offset, gathered, gatheredLength, len);
      gatheredLength += len;
      return;
    }
    flush();
    if (len < GATHER_BYTES) {
      System.arraycopy(input, offset, gathered, 0, len);
      gatheredLength = len;
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

  @Override
  protected byte[] engineDigest() {
    flush();
    byte[] out = new byte[32];
    check(Lib.SHA256_Final(out, ctx));
    engineReset();
    return out;
  }

  @Override
  protected void engineReset() {
    gatheredLength = 0;
    check(Lib.SHA256_Init(ctx));
  }

  @Override
  public Object clone() throws CloneNotSupportedException {
    LibcryptoSha256 copy = (LibcryptoSha256) super.clone();
    copy.ctx = ctx.clone();
    copy.gathered = gathered.clone();
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
