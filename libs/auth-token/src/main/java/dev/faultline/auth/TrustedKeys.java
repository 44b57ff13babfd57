package dev.faultline.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The keys a verifier trusts, in the one file every verifier is given ({@value
 * SigningKeys#PUBLIC_FILE}): first the suite's key, which signs customers' and operators' tokens,
 * then one key per service, each block preceded by a {@code Service: <name>} line (text outside a
 * PEM block's boundaries is allowed, RFC 7468). A token signed with a service's key speaks for that
 * service only: its subject must be the service's name and its role the service role. A reader that
 * knows only the first block (the gateway) trusts the suite's key alone.
 */
public record TrustedKeys(RSAPublicKey suite, Map<String, RSAPublicKey> services) {
  static final String SERVICE_HEADER = "Service: ";
  private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
  private static final String END = "-----END PUBLIC KEY-----";

  public TrustedKeys {
    services = Map.copyOf(services);
  }

  public static TrustedKeys read(Path file) throws IOException {
    String text = Files.readString(file);
    RSAPublicKey suite = null;
    Map<String, RSAPublicKey> services = new LinkedHashMap<>();
    String service = null;
    int at = 0;
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith(SERVICE_HEADER)) {
        service = trimmed.substring(SERVICE_HEADER.length()).strip();
      } else if (trimmed.equals(BEGIN)) {
        int end = text.indexOf(END, at);
        int begin = text.indexOf(BEGIN, at);
        if (end < 0) {
          throw new IOException("an unterminated public key block in " + file);
        }
        RSAPublicKey key = parse(text.substring(begin, end + END.length()), file);
        if (service == null) {
          if (suite != null) {
            throw new IOException("two suite keys (blocks without a Service: line) in " + file);
          }
          suite = key;
        } else if (services.put(service, key) != null) {
          throw new IOException("two keys for service " + service + " in " + file);
        }
        service = null;
        at = end + END.length();
      }
    }
    if (suite == null) {
      throw new IOException("no suite key (a block without a Service: line) in " + file);
    }
    return new TrustedKeys(suite, services);
  }

  /** The file's text: the suite's key, then each service's under its name. */
  public String pem() {
    StringBuilder out = new StringBuilder(SigningKeys.pem("PUBLIC KEY", suite.getEncoded()));
    services.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                out.append(SERVICE_HEADER)
                    .append(e.getKey())
                    .append('\n')
                    .append(SigningKeys.pem("PUBLIC KEY", e.getValue().getEncoded())));
    return out.toString();
  }

  /** The service whose key has this key ID, if it is a service's. */
  public Optional<String> serviceOf(String keyId) {
    return services.entrySet().stream()
        .filter(e -> SigningKeys.keyId(e.getValue()).equals(keyId))
        .map(Map.Entry::getKey)
        .findFirst();
  }

  private static RSAPublicKey parse(String block, Path file) throws IOException {
    try {
      return (RSAPublicKey)
          KeyFactory.getInstance("RSA")
              .generatePublic(new X509EncodedKeySpec(SigningKeys.der(block, "PUBLIC KEY")));
    } catch (GeneralSecurityException e) {
      throw new IOException("not an RSA public key in " + file, e);
    }
  }
}
