package dev.jbuild.signing;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Key pairs in PEM files: the private key as PKCS#8 ({@code PRIVATE KEY}, or {@code ENCRYPTED
 * PRIVATE KEY} — PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC — when it has a passphrase), the public
 * key as SubjectPublicKeyInfo ({@code PUBLIC KEY}, the format of cosign's {@code cosign.pub}).
 */
public final class KeyFiles {
  public static final String PRIVATE_FILE = "jbuild.key";
  public static final String PUBLIC_FILE = "jbuild.pub";
  private static final int PBKDF2_ITERATIONS = 200_000;

  private KeyFiles() {}

  public static KeyPair generate(KeyType type) throws SigningException {
    try {
      KeyPairGenerator g;
      if (type == KeyType.ECDSA_P256) {
        g = KeyPairGenerator.getInstance("EC", Bc.PROVIDER);
        g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      } else {
        g = KeyPairGenerator.getInstance("Ed25519", Bc.PROVIDER);
      }
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new SigningException("cannot generate a " + type.flagValue() + " key: " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code DIR/jbuild.key} (mode 0600, created exclusively: an existing key is never
   * overwritten) and {@code DIR/jbuild.pub}.
   */
  public static void write(Path dir, KeyPair pair, Optional<char[]> passphrase) throws SigningException, IOException {
    Files.createDirectories(dir);
    Path priv = dir.resolve(PRIVATE_FILE);
    Path pub = dir.resolve(PUBLIC_FILE);
    for (Path p : new Path[] {priv, pub}) {
      if (Files.exists(p)) {
        throw new FileAlreadyExistsException(p + " exists; refusing to overwrite a key");
      }
    }
    String privatePem;
    try {
      var encryptor = passphrase.isEmpty() ? null
          : (org.bouncycastle.operator.OutputEncryptor) new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC).setProvider(Bc.PROVIDER)
              .setPRF(org.bouncycastle.openssl.PKCS8Generator.PRF_HMACSHA256).setIterationCount(PBKDF2_ITERATIONS)
              .setPassword(passphrase.get()).build();
      privatePem = pem(new JcaPKCS8Generator(pair.getPrivate(), encryptor));
    } catch (OperatorCreationException e) {
      throw new SigningException("cannot encrypt the private key: " + e.getMessage(), e);
    }
    Files.writeString(pub, pem(SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded())), StandardCharsets.US_ASCII,
        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    Files.createFile(priv, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(priv, privatePem, StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
  }

  private static String pem(Object o) throws IOException {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(o);
    }
    return w.toString();
  }

  /** Reads a private key; {@code passphrase} is asked for only when the key is encrypted. */
  public static Signer readPrivate(Path file, PassphraseSource passphrase) throws SigningException {
    Object o = parse(file, "private key");
    try {
      JcaPEMKeyConverter convert = new JcaPEMKeyConverter().setProvider(Bc.PROVIDER);
      if (o instanceof PKCS8EncryptedPrivateKeyInfo enc) {
        char[] pass = passphrase.get().orElseThrow(() -> new SigningException(file
            + ": the private key is encrypted; give its passphrase (passphrase-env=VAR or passphrase-file=FILE)"));
        try {
          return new Signer(convert.getPrivateKey(enc.decryptPrivateKeyInfo(
              new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(pass))));
        } catch (PKCSException e) {
          throw new SigningException(file + ": wrong passphrase for the private key");
        } finally {
          java.util.Arrays.fill(pass, '\0');
        }
      }
      if (o instanceof PrivateKeyInfo info) {
        return new Signer(convert.getPrivateKey(info));
      }
      if (o instanceof PEMKeyPair kp) {
        return new Signer(convert.getPrivateKey(kp.getPrivateKeyInfo()));
      }
    } catch (IOException | OperatorCreationException | IllegalArgumentException e) {
      throw new SigningException(file + ": not a usable private key: " + safe(e), e);
    }
    throw new SigningException(file + ": not a private key (expected a PEM \"PRIVATE KEY\" or"
        + " \"ENCRYPTED PRIVATE KEY\" block, as jbuild keygen writes)");
  }

  public static Verifier readPublic(Path file) throws SigningException {
    Object o = parse(file, "public key");
    if (!(o instanceof SubjectPublicKeyInfo info)) {
      throw new SigningException(file + ": not a public key (expected a PEM \"PUBLIC KEY\" block, as in jbuild.pub)");
    }
    try {
      return new Verifier(new JcaPEMKeyConverter().setProvider(Bc.PROVIDER).getPublicKey(info));
    } catch (IOException | IllegalArgumentException e) {
      throw new SigningException(file + ": not a usable public key: " + safe(e), e);
    }
  }

  private static Object parse(Path file, String what) throws SigningException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
      Object o = p.readObject();
      if (o == null) {
        throw new SigningException(file + ": no PEM block found (expected a " + what + ")");
      }
      return o;
    } catch (java.nio.file.NoSuchFileException e) {
      throw new SigningException(file + ": no such file");
    } catch (IOException | RuntimeException e) {
      throw new SigningException(file + ": not a PEM " + what + ": " + safe(e));
    }
  }

  /** A message that cannot carry key bytes: only the exception's kind, never its text for parser failures. */
  private static String safe(Exception e) {
    return e instanceof IllegalArgumentException ? e.getMessage() : e.getClass().getSimpleName();
  }

  /** Where a passphrase comes from, asked only when needed. */
  @FunctionalInterface
  public interface PassphraseSource {
    PassphraseSource NONE = Optional::empty;

    Optional<char[]> get() throws SigningException;
  }
}
