package dev.faultline.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The suite's RSA key pair, kept as two PEM files: {@value #PRIVATE_FILE} (owner-only, used to
 * mint) and {@value #PUBLIC_FILE} (handed to every verifier). Generated per suite, never committed.
 */
public record SigningKeys(RSAPrivateKey privateKey, RSAPublicKey publicKey) {
  public static final String PRIVATE_FILE = "jwt-private.pem";
  public static final String PUBLIC_FILE = "jwt-public.pem";

  public static SigningKeys generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      var pair = generator.generateKeyPair();
      return new SigningKeys((RSAPrivateKey) pair.getPrivate(), (RSAPublicKey) pair.getPublic());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA is not available in this JDK", e);
    }
  }

  /** Loads the pair from {@code dir}, generating and writing it first when it is not there. */
  public static SigningKeys loadOrCreate(Path dir) throws IOException {
    if (Files.exists(dir.resolve(PRIVATE_FILE)) && Files.exists(dir.resolve(PUBLIC_FILE))) {
      return new SigningKeys(
          readPrivate(dir.resolve(PRIVATE_FILE)), readPublic(dir.resolve(PUBLIC_FILE)));
    }
    SigningKeys keys = generate();
    keys.write(dir);
    return keys;
  }

  /**
   * Reads the pair from {@code dir}, never making one: for minting, where a new key would sign
   * tokens that no verifier accepts.
   */
  public static SigningKeys read(Path dir) throws IOException {
    return new SigningKeys(
        readPrivate(dir.resolve(PRIVATE_FILE)), readPublic(dir.resolve(PUBLIC_FILE)));
  }

  public void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path privateFile = dir.resolve(PRIVATE_FILE);
    Files.deleteIfExists(privateFile);
    // Created owner-only before the key is written, so it is never readable by others.
    Files.createFile(
        privateFile,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(privateFile, pem("PRIVATE KEY", privateKey.getEncoded()));
    Files.writeString(dir.resolve(PUBLIC_FILE), pem("PUBLIC KEY", publicKey.getEncoded()));
  }

  /** A short stable name for the public key ({@code kid}), so a rotated key is told apart. */
  public String keyId() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded());
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static RSAPublicKey readPublic(Path file) throws IOException {
    try {
      return (RSAPublicKey)
          KeyFactory.getInstance("RSA")
              .generatePublic(new X509EncodedKeySpec(der(Files.readString(file), "PUBLIC KEY")));
    } catch (GeneralSecurityException e) {
      throw new IOException("not an RSA public key in PEM form: " + file, e);
    }
  }

  public static RSAPrivateKey readPrivate(Path file) throws IOException {
    try {
      return (RSAPrivateKey)
          KeyFactory.getInstance("RSA")
              .generatePrivate(new PKCS8EncodedKeySpec(der(Files.readString(file), "PRIVATE KEY")));
    } catch (GeneralSecurityException e) {
      throw new IOException("not a PKCS#8 RSA private key in PEM form: " + file, e);
    }
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static byte[] der(String pem, String type) throws IOException {
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int from = pem.indexOf(begin);
    int to = pem.indexOf(end);
    if (from < 0 || to < from) {
      throw new IOException("no " + type + " block in PEM text");
    }
    return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
  }
}
