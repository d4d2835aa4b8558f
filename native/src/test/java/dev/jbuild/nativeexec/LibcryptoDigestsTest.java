package dev.jbuild.nativeexec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Digest;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The hybrid SHA-256 (JDK below 64 KiB, libcrypto above) against the JDK's own on the same inputs, fed in every way callers feed it. */
class LibcryptoDigestsTest {
  @BeforeAll
  static void install() {
    // libssl3 is on every CI machine (skopeo, curl need it): a missing library must fail here, not pass on the JDK's digest
    assertTrue(LibcryptoDigests.available(), "libcrypto.so.3 could not be loaded: apt-get install -y libssl3");
    LibcryptoDigests.install();
  }

  private static MessageDigest jdk() throws Exception {
    return MessageDigest.getInstance("SHA-256", "SUN");
  }

  @Test
  void digestNewSha256IsTheHybridAndGoesNativeOnlyPastTheThreshold() throws Exception {
    LibcryptoSha256 md = assertInstanceOf(LibcryptoSha256.class, Digest.newSha256());
    md.update(new byte[64 * 1024]);
    assertFalse(md.usesLibcrypto(), "64 KiB stay on the JDK");
    md.update((byte) 1);
    assertTrue(md.usesLibcrypto(), "one byte more goes to libcrypto");
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        HexFormat.of().formatHex(Digest.newSha256().digest()));
    assertEquals(Digest.jdkSha256().getProvider().getName(), "SUN");
  }

  @Test
  void everyLengthAroundTheBlockGatherAndThresholdSizes() throws Exception {
    Random rnd = new Random(1);
    for (int len : new int[] {0, 1, 55, 56, 63, 64, 65, 255, 256, 257, 4095, 4096, 4097, 65535, 65536, 65537, 69632, 1_000_003}) {
      byte[] data = new byte[len];
      rnd.nextBytes(data);
      assertArrayEquals(jdk().digest(data), Digest.newSha256().digest(data), "length " + len);
    }
  }

  @Test
  void randomChunkingsOffsetsSingleBytesAndBuffers() throws Exception {
    Random rnd = new Random(2);
    byte[] data = new byte[3_000_000];
    rnd.nextBytes(data);
    for (int round = 0; round < 30; round++) {
      MessageDigest ours = Digest.newSha256();
      MessageDigest theirs = jdk();
      int total = round < 10 ? rnd.nextInt(70_000) : data.length; // some end below the threshold, some cross it mid-update
      int pos = 0;
      while (pos < total) {
        int n = Math.min(total - pos, switch (rnd.nextInt(5)) {
          case 0 -> 1;
          case 1 -> rnd.nextInt(100);
          case 2 -> rnd.nextInt(5000);
          case 3 -> 4096 + rnd.nextInt(200_000);
          default -> rnd.nextInt(70_000);
        });
        switch (rnd.nextInt(4)) {
          case 0 -> { for (int i = 0; i < n; i++) { ours.update(data[pos + i]); } }
          case 1 -> ours.update(ByteBuffer.wrap(data, pos, n));
          case 2 -> ours.update(ByteBuffer.allocateDirect(n).put(data, pos, n).flip());
          default -> ours.update(data, pos, n); // offsets other than 0 on most calls
        }
        theirs.update(data, pos, n);
        pos += n;
      }
      assertArrayEquals(theirs.digest(), ours.digest(), "round " + round + ", " + total + " bytes");
    }
  }

  @Test
  void cloneForksTheStateOnBothSidesOfTheThresholdAndDigestResets() throws Exception {
    byte[] a = new byte[200_000];
    new Random(3).nextBytes(a);
    for (int split : new int[] {5000, 100_000}) {
      MessageDigest md = Digest.newSha256();
      md.update(a, 0, split);
      MessageDigest fork = (MessageDigest) md.clone();
      md.update(a, split, a.length - split);
      fork.update((byte) 7);
      MessageDigest expectFork = jdk();
      expectFork.update(a, 0, split);
      expectFork.update((byte) 7);
      assertArrayEquals(jdk().digest(a), md.digest(), "split " + split);
      assertArrayEquals(expectFork.digest(), fork.digest(), "fork at " + split);
      // digest() resets: the same instance hashes the next input from scratch
      assertArrayEquals(jdk().digest(new byte[] {1, 2, 3}), md.digest(new byte[] {1, 2, 3}));
      md.update(a);
      md.reset();
      assertArrayEquals(jdk().digest(new byte[0]), md.digest());
    }
  }
}
