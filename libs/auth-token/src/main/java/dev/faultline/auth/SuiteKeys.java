package dev.faultline.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every signing key of a suite, kept in one folder by whoever generates secrets ({@code bin/suite},
 * the compose stack's secrets job, {@code bin/suite k8s-secrets}): the suite's pair ({@value
 * SigningKeys#PRIVATE_FILE}, never given to a service) and one pair per calling service under
 * {@code services/<name>/}, whose private half that service alone is given, to mint its own
 * short-lived tokens. {@value SigningKeys#PUBLIC_FILE} holds all the public halves ({@link
 * TrustedKeys}).
 */
public record SuiteKeys(SigningKeys suite, Map<String, SigningKeys> services) {

  public SuiteKeys {
    services = Map.copyOf(services);
  }

  /** Loads what is there, makes what is not, and writes the verifiers' file afresh. */
  public static SuiteKeys loadOrCreate(Path dir, Collection<String> callingServices)
      throws IOException {
    SigningKeys suite = SigningKeys.loadOrCreate(dir);
    Map<String, SigningKeys> services = new LinkedHashMap<>();
    for (String service : callingServices) {
      services.put(service, SigningKeys.loadOrCreate(dir.resolve("services").resolve(service)));
    }
    SuiteKeys keys = new SuiteKeys(suite, services);
    Files.writeString(dir.resolve(SigningKeys.PUBLIC_FILE), keys.trusted().pem());
    return keys;
  }

  public TrustedKeys trusted() {
    return new TrustedKeys(
        suite.publicKey(),
        services.entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().publicKey())));
  }

  /** The private key {@code service} mints its tokens with. */
  public SigningKeys of(String service) {
    SigningKeys keys = services.get(service);
    if (keys == null) {
      throw new IllegalArgumentException("no signing key for service " + service);
    }
    return keys;
  }
}
