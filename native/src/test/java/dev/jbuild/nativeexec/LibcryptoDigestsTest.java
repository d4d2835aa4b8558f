package dev.jbuild.nativeexec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** libcrypto's SHA-256 against the JDK's own ("SUN") on the same inputs, fed in every way callers feed it. */
class LibcryptoDigestsTest {
  @BeforeAll
  static void install() {
    // libssl3 is a prerequisite on the CI machines (skopeo, curl): a missing library must fail here, not pass on the JDK's digest
    assertTrue(LibcryptoDigests.install(), "libcrypto.so.3 could not be loaded: apt-get install -y libssl3");
  }

  private static MessageDigest jdk() throws Exception {
    return MessageDigest.getInstance("SHA-256", "SUN");
  }

  @Test
  void isTheProviderOfSha256() throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    assertEquals(LibcryptoDigests.NAME, md.getProvider().getName());
    assertEquals(LibcryptoDigests.NAME, MessageDigest.getInstance("SHA256").getProvider().getName());
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", HexFormat.of().formatHex(md.digest()));
  }

  @Test
  void everyLengthAroundTheBlockAndGatherSizes() throws Exception {
    Random rnd = new Random(1);
    for (int len : new int[] {0, 1, 55, 56, 63, 64, 65, 4095, 4096, 4097, 8191, 65536, 65537, 1_000_003}) {
      byte[] data = new byte[len];
      rnd.nextBytes(data);
      assertArrayEquals(jdk().digest(data), MessageDigest.getInstance("SHA-256").digest(data), "length " + len);
    }
  }

  @Test
  void randomChunkingsOffsetsSingleBytesAndBuffers() throws Exception {
    Random rnd = new Random(2);
    byte[] data = new byte[3_000_000];
    rnd.nextBytes(data);
    for (int round = 0; round < 20; round++) {
      MessageDigest ours = MessageDigest.getInstance("SHA-256");
      MessageDigest theirs = jdk();
      int pos = 0;
      while (pos < data.length) {
        int n = Math.min(data.length - pos, switch (rnd.nextInt(5)) {
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
      assertArrayEquals(theirs.digest(), ours.digest(), "round " + round);
    }
  }

  @Test
  void cloneForksTheStateAndDigestResets() throws Exception {
    byte[] a = new byte[10_000];
    new Random(3).nextBytes(a);
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update(a, 0, 5000);
    MessageDigest fork = (MessageDigest) md.clone();
    md.update(a, 5000, 5000);
    fork.update((byte) 7);
    MessageDigest expectFork = jdk();
    expectFork.update(a, 0, 5000);
    expectFork.update((byte) 7);
    assertArrayEquals(jdk().digest(a), md.digest());
    assertArrayEquals(expectFork.digest(), fork.digest());
    // digest() resets: the same instance hashes the next input from scratch
    assertArrayEquals(jdk().digest(new byte[] {1, 2, 3}), md.digest(new byte[] {1, 2, 3}));
    md.update(a);
    md.reset();
    assertArrayEquals(jdk().digest(new byte[0]), md.digest());
  }
}
