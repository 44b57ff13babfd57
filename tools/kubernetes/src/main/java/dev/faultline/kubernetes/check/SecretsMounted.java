package dev.faultline.kubernetes.check;

import dev.faultline.cluster.kubernetes.ClusterSecrets;
import dev.faultline.kubernetes.KObject;
import dev.faultline.kubernetes.Manifests;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Secrets are never in the manifests, and what the pods mount is what {@code bin/suite k8s-secrets}
 * makes: each service that has secrets mounts its own Secret and no other at the config tree {@code
 * SPRING_CONFIG_IMPORT} names; every service has the public key where {@code
 * FAULTLINE_AUTH_PUBLIC_KEY_FILE} says; PostgreSQL its passwords file where its entrypoint reads
 * it.
 */
public final class SecretsMounted {
  private SecretsMounted() {}

  public static List<String> problems(Manifests manifests, Manifests generated) {
    List<String> problems = new ArrayList<>();
    if (!manifests.ofKind("Secret").isEmpty()) {
      problems.add(
          "the manifests hold Secrets: they are generated in the cluster, never committed");
    }
    for (KObject workload : manifests.workloads()) {
      String app = Labels.app(workload);
      Map<String, Map<String, Object>> volumes = new java.util.HashMap<>();
      for (Map<String, Object> volume : KObject.maps(workload.podSpec().get("volumes"))) {
        volumes.put(String.valueOf(volume.get("name")), volume);
        String secret = String.valueOf(KObject.map(volume, "secret").get("secretName"));
        if (volume.containsKey("secret")) {
          if (generated.find("Secret", secret).isEmpty()) {
            problems.add(
                workload.id()
                    + ": mounts Secret "
                    + secret
                    + ", which bin/suite k8s-secrets does not make");
          }
          String own =
              app.equals("postgres")
                  ? ClusterSecrets.POSTGRES_SECRET
                  : ClusterSecrets.secretName(app);
          if (!secret.equals(own)) {
            problems.add(
                workload.id() + ": mounts Secret " + secret + ", not its own (" + own + ")");
          }
        }
        String configMap = String.valueOf(KObject.map(volume, "configMap").get("name"));
        if (volume.containsKey("configMap")
            && manifests.find("ConfigMap", configMap).isEmpty()
            && generated.find("ConfigMap", configMap).isEmpty()) {
          problems.add(workload.id() + ": mounts ConfigMap " + configMap + ", which nobody makes");
        }
      }
      for (Map<String, Object> container : workload.containers()) {
        Consumer<String> expect =
            file -> expectFile(problems, workload, container, volumes, generated, file);
        if (app.equals("postgres")) {
          expect.accept("/etc/faultline/" + ClusterSecrets.POSTGRES_FILE);
          continue;
        }
        if (app.equals("zookeeper")) {
          continue;
        }
        expect.accept(
            EnvironmentKeys.value(manifests, container, "FAULTLINE_AUTH_PUBLIC_KEY_FILE"));
        if (ClusterSecrets.SERVICES_WITH_SECRETS.contains(app)) {
          String tree =
              EnvironmentKeys.value(manifests, container, "SPRING_CONFIG_IMPORT")
                  .replaceFirst("^optional:configtree:", "");
          var secret = generated.find("Secret", ClusterSecrets.secretName(app));
          for (String key :
              secret.map(s -> KObject.map(s.tree(), "data").keySet()).orElse(java.util.Set.of())) {
            expect.accept(tree.replaceAll("/$", "") + "/" + key);
          }
        }
      }
    }
    return problems;
  }

  /** {@code file} is a key of a Secret or ConfigMap mounted at its folder. */
  private static void expectFile(
      List<String> problems,
      KObject workload,
      Map<String, Object> container,
      Map<String, Map<String, Object>> volumes,
      Manifests generated,
      String file) {
    int slash = file.lastIndexOf('/');
    String dir = slash <= 0 ? "" : file.substring(0, slash);
    String key = file.substring(slash + 1);
    for (Map<String, Object> mount : KObject.maps(container.get("volumeMounts"))) {
      if (!dir.equals(String.valueOf(mount.get("mountPath")).replaceAll("/$", ""))) {
        continue;
      }
      Map<String, Object> volume =
          volumes.getOrDefault(String.valueOf(mount.get("name")), Map.of());
      String kind = volume.containsKey("secret") ? "Secret" : "ConfigMap";
      String name =
          String.valueOf(
              volume.containsKey("secret")
                  ? KObject.map(volume, "secret").get("secretName")
                  : KObject.map(volume, "configMap").get("name"));
      var source = generated.find(kind, name);
      if (source.isPresent() && KObject.map(source.get().tree(), "data").containsKey(key)) {
        return;
      }
    }
    problems.add(
        workload.id() + ": reads " + file + ", which no mounted Secret or ConfigMap provides");
  }
}
