package dev.jbuild.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key files, passphrases, signatures and DSSE envelopes, for both key types. */
class KeyFilesTest {
  @TempDir Path dir;

  private static KeyFiles.PassphraseSource pass(String s) {
    return () -> Optional.of(s.toCharArray());
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void signsAndVerifiesWithAnEncryptedKey(KeyType type) throws Exception {
    KeyPair pair = KeyFiles.generate(type);
    KeyFiles.write(dir, pair, Optional.of("correct horse".toCharArray()));
    String priv = Files.readString(dir.resolve("jbuild.key"));
    assertTrue(priv.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"), priv);
    assertFalse(priv.contains(Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded())));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("jbuild.key"))));
    assertTrue(Files.readString(dir.resolve("jbuild.pub")).startsWith("-----BEGIN PUBLIC KEY-----\n"));

    Signer signer = KeyFiles.readPrivate(dir.resolve("jbuild.key"), pass("correct horse"));
    assertEquals(type, signer.type());
    assertEquals("Signer[" + type.flagValue() + "]", signer.toString());
    Verifier verifier = KeyFiles.readPublic(dir.resolve("jbuild.pub"));
    byte[] data = "payload".getBytes(StandardCharsets.UTF_8);
    byte[] sig = signer.sign(data);
    assertTrue(verifier.verify(data, sig));
    assertFalse(verifier.verify("payloaD".getBytes(StandardCharsets.UTF_8), sig));
    sig[sig.length - 1] ^= 1;
    assertFalse(verifier.verify(data, sig));

    SigningException wrong = assertThrows(SigningException.class,
        () -> KeyFiles.readPrivate(dir.resolve("jbuild.key"), pass("wrong")));
    assertEquals(dir.resolve("jbuild.key") + ": wrong passphrase for the private key", wrong.getMessage());
    SigningException missing = assertThrows(SigningException.class,
        () -> KeyFiles.readPrivate(dir.resolve("jbuild.key"), KeyFiles.PassphraseSource.NONE));
    assertTrue(missing.getMessage().endsWith("the private key is encrypted; give its passphrase"
        + " (passphrase-env=VAR or passphrase-file=FILE)"), missing.getMessage());
  }

  @Test
  void plainKeysNeedNoPassphraseAndAreNeverOverwritten() throws Exception {
    KeyFiles.write(dir, KeyFiles.generate(KeyType.ECDSA_P256), Optional.empty());
    assertTrue(Files.readString(dir.resolve("jbuild.key")).startsWith("-----BEGIN PRIVATE KEY-----\n"));
    byte[] before = Files.readAllBytes(dir.resolve("jbuild.key"));
    assertThrows(FileAlreadyExistsException.class,
        () -> KeyFiles.write(dir, KeyFiles.generate(KeyType.ED25519), Optional.empty()));
    assertArrayEquals(before, Files.readAllBytes(dir.resolve("jbuild.key")));
    Signer s = KeyFiles.readPrivate(dir.resolve("jbuild.key"), KeyFiles.PassphraseSource.NONE);
    assertTrue(KeyFiles.readPublic(dir.resolve("jbuild.pub")).verify(new byte[] {1}, s.sign(new byte[] {1})));
  }

  @Test
  void wrongFilesGiveClearErrors() throws Exception {
    KeyFiles.write(dir, KeyFiles.generate(KeyType.ECDSA_P256), Optional.empty());
    Files.writeString(dir.resolve("junk"), "not a key\n");
    assertEquals(dir.resolve("junk") + ": no PEM block found (expected a public key)",
        assertThrows(SigningException.class, () -> KeyFiles.readPublic(dir.resolve("junk"))).getMessage());
    assertEquals(dir.resolve("jbuild.key") + ": not a public key (expected a PEM \"PUBLIC KEY\" block, as in jbuild.pub)",
        assertThrows(SigningException.class, () -> KeyFiles.readPublic(dir.resolve("jbuild.key"))).getMessage());
    assertEquals(dir.resolve("jbuild.pub") + ": not a private key (expected a PEM \"PRIVATE KEY\" or"
        + " \"ENCRYPTED PRIVATE KEY\" block, as jbuild keygen writes)", assertThrows(SigningException.class,
        () -> KeyFiles.readPrivate(dir.resolve("jbuild.pub"), KeyFiles.PassphraseSource.NONE)).getMessage());
    assertEquals(dir.resolve("absent") + ": no such file",
        assertThrows(SigningException.class, () -> KeyFiles.readPublic(dir.resolve("absent"))).getMessage());
  }

  @Test
  void dsseEnvelopesRejectAnotherKeyAndAChangedPayload() throws Exception {
    KeyPair pair = KeyFiles.generate(KeyType.ECDSA_P256);
    Signer signer = new Signer(pair.getPrivate());
    Verifier own = new Verifier(pair.getPublic());
    Verifier other = new Verifier(KeyFiles.generate(KeyType.ECDSA_P256).getPublic());
    byte[] statement = "{\"_type\":\"https://in-toto.io/Statement/v0.1\"}".getBytes(StandardCharsets.UTF_8);
    byte[] envelope = Dsse.sign(signer, Dsse.IN_TOTO_PAYLOAD, statement);
    assertArrayEquals(statement, Dsse.open(own, envelope, Dsse.IN_TOTO_PAYLOAD));
    assertEquals("no signature in the DSSE envelope matches the key", assertThrows(SigningException.class,
        () -> Dsse.open(other, envelope, Dsse.IN_TOTO_PAYLOAD)).getMessage());
    String tampered = new String(envelope, StandardCharsets.UTF_8).replace(
        Base64.getEncoder().encodeToString(statement), Base64.getEncoder().encodeToString("{}".getBytes(StandardCharsets.UTF_8)));
    assertEquals("no signature in the DSSE envelope matches the key", assertThrows(SigningException.class,
        () -> Dsse.open(own, tampered.getBytes(StandardCharsets.UTF_8), Dsse.IN_TOTO_PAYLOAD)).getMessage());
    assertEquals("the DSSE envelope holds application/json, not application/vnd.in-toto+json",
        assertThrows(SigningException.class, () -> Dsse.open(own,
            Dsse.sign(signer, "application/json", statement), Dsse.IN_TOTO_PAYLOAD)).getMessage());
    assertEquals("DSSEv1 4 type 2 {}", new String(Dsse.pae("type", "{}".getBytes(StandardCharsets.UTF_8)),
        StandardCharsets.UTF_8));
  }

  @Test
  void simpleSigningPayloadRoundTrips() throws Exception {
    byte[] p = SimpleSigning.payload("127.0.0.1:5000/app", "sha256:" + "a".repeat(64));
    assertEquals("{\"critical\":{\"identity\":{\"docker-reference\":\"127.0.0.1:5000/app\"},\"image\":"
        + "{\"docker-manifest-digest\":\"sha256:" + "a".repeat(64) + "\"},\"type\":\"cosign container image signature\"},"
        + "\"optional\":null}", new String(p, StandardCharsets.UTF_8));
    assertEquals(new SimpleSigning.Claim("127.0.0.1:5000/app", "sha256:" + "a".repeat(64)), SimpleSigning.parse(p));
  }
}
