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

  /**
   * The pair from its private half alone, as a service is given it ({@code
   * faultline.service.signing-key}): an RSA private key in CRT form holds the public exponent and
   * the modulus.
   */
  public static SigningKeys fromPrivatePem(String pem) throws IOException {
    try {
      RSAPrivateKey key =
          (RSAPrivateKey)
              KeyFactory.getInstance("RSA")
                  .generatePrivate(new PKCS8EncodedKeySpec(der(pem, "PRIVATE KEY")));
      if (!(key instanceof java.security.interfaces.RSAPrivateCrtKey crt)) {
        throw new IOException("the private key does not carry its public exponent");
      }
      RSAPublicKey pub =
          (RSAPublicKey)
              KeyFactory.getInstance("RSA")
                  .generatePublic(
                      new java.security.spec.RSAPublicKeySpec(
                          crt.getModulus(), crt.getPublicExponent()));
      return new SigningKeys(key, pub);
    } catch (GeneralSecurityException e) {
      throw new IOException("not a PKCS#8 RSA private key in PEM form", e);
    }
  }

  /** The private half in PEM form, for a service's secrets. */
  public String privatePem() {
    return pem("PRIVATE KEY", privateKey.getEncoded());
  }

  /** The public half in PEM form. */
  public String publicPem() {
    return pem("PUBLIC KEY", publicKey.getEncoded());
  }

  /** A short stable name for the public key ({@code kid}), so a rotated key is told apart. */
  public String keyId() {
    return keyId(publicKey);
  }

  /** The key ID of any public key: the first 8 bytes of its SHA-256, in hex. */
  public static String keyId(RSAPublicKey publicKey) {
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

  static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  static byte[] der(String pem, String type) throws IOException {
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
