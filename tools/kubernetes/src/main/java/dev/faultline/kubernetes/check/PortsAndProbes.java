package dev.faultline.kubernetes.check;

import dev.faultline.kubernetes.KObject;
import dev.faultline.kubernetes.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ports and probes agree with the programs behind them. A service's container port and {@code
 * SERVER_PORT} are its configured (contract) port; its startup and liveness probes ask the liveness
 * group, its readiness probe the readiness group, and the service enables those groups. Every
 * probe, Service and PodMonitor names a port the pods declare; every exec probe runs a file its
 * image's build copies in.
 */
public final class PortsAndProbes {
  private PortsAndProbes() {}

  public static List<String> problems(
      Manifests manifests, Map<String, ServiceConfig> services, Path imagesDir) {
    List<String> problems = new ArrayList<>();
    for (KObject workload : manifests.workloads()) {
      for (Map<String, Object> container : workload.containers()) {
        String image = Images.name(String.valueOf(container.get("image")));
        Map<String, Integer> ports = ports(container);
        for (String kind : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
          Map<String, Object> probe = KObject.map(container, kind);
          if (probe.isEmpty()) {
            problems.add(workload.id() + ": no " + kind);
            continue;
          }
          for (String handler : List.of("httpGet", "tcpSocket")) {
            Object port = KObject.map(probe, handler).get("port");
            if (port != null
                && !ports.containsKey(port.toString())
                && !ports.containsValue(asInt(port))) {
              problems.add(
                  workload.id()
                      + ": "
                      + kind
                      + " asks port "
                      + port
                      + ", which the container does not declare");
            }
          }
          List<String> command = KObject.stringList(KObject.map(probe, "exec").get("command"));
          if (!command.isEmpty()) {
            String file = Path.of(command.getFirst()).getFileName().toString();
            if (!Files.exists(imagesDir.resolve(image).resolve(file))) {
              problems.add(
                  workload.id()
                      + ": "
                      + kind
                      + " runs "
                      + command.getFirst()
                      + ", which images/"
                      + image
                      + " does not provide");
            }
          }
        }
        ServiceConfig config = services.get(image);
        if (config == null) {
          continue;
        }
        Integer http = ports.get("http");
        if (http == null || http != config.port()) {
          problems.add(
              workload.id()
                  + ": container port http is "
                  + http
                  + ", "
                  + image
                  + " serves on "
                  + config.port());
        }
        String serverPort = EnvironmentKeys.value(manifests, container, "SERVER_PORT");
        if (!serverPort.equals(Integer.toString(config.port()))) {
          problems.add(
              workload.id()
                  + ": SERVER_PORT is '"
                  + serverPort
                  + "', "
                  + image
                  + "'s port is "
                  + config.port());
        }
        if (!config.probesEnabled()) {
          problems.add(
              workload.id() + ": " + image + " does not enable its liveness and readiness groups");
        }
        Map<String, String> paths =
            Map.of(
                "startupProbe", "/actuator/health/liveness",
                "livenessProbe", "/actuator/health/liveness",
                "readinessProbe", "/actuator/health/readiness");
        for (var expected : paths.entrySet()) {
          Object path =
              KObject.map(KObject.map(container, expected.getKey()), "httpGet").get("path");
          if (!expected.getValue().equals(path)) {
            problems.add(
                workload.id()
                    + ": "
                    + expected.getKey()
                    + " asks "
                    + path
                    + ", not "
                    + expected.getValue());
          }
        }
      }
    }
    for (KObject service : manifests.ofKind("Service")) {
      Map<String, Object> selector = KObject.map(service.spec(), "selector");
      for (KObject workload : manifests.workloads()) {
        if (!Labels.matchesPlain(selector, workload.podLabels())) {
          continue;
        }
        Map<String, Integer> ports = new HashMap<>();
        workload.containers().forEach(c -> ports.putAll(ports(c)));
        for (Map<String, Object> port : KObject.maps(service.spec().get("ports"))) {
          Object target = port.getOrDefault("targetPort", port.get("port"));
          if (!ports.containsKey(String.valueOf(target)) && !ports.containsValue(asInt(target))) {
            problems.add(
                service.id() + ": targetPort " + target + " is not a port of " + workload.id());
          }
        }
      }
    }
    for (KObject monitor : manifests.ofKind("PodMonitor")) {
      for (KObject workload : Labels.selected(manifests, KObject.map(monitor.spec(), "selector"))) {
        Map<String, Integer> ports = new HashMap<>();
        workload.containers().forEach(c -> ports.putAll(ports(c)));
        for (Map<String, Object> endpoint :
            KObject.maps(monitor.spec().get("podMetricsEndpoints"))) {
          if (!ports.containsKey(String.valueOf(endpoint.get("port")))) {
            problems.add(
                monitor.id()
                    + ": port "
                    + endpoint.get("port")
                    + " is not a port of "
                    + workload.id());
          }
          if (!"/actuator/prometheus".equals(endpoint.get("path"))) {
            problems.add(
                monitor.id() + ": path " + endpoint.get("path") + " is not /actuator/prometheus");
          }
        }
      }
    }
    return problems;
  }

  static Map<String, Integer> ports(Map<String, Object> container) {
    Map<String, Integer> ports = new HashMap<>();
    for (Map<String, Object> port : KObject.maps(container.get("ports"))) {
      ports.put(
          String.valueOf(port.getOrDefault("name", port.get("containerPort"))),
          asInt(port.get("containerPort")));
    }
    return ports;
  }

  private static Integer asInt(Object value) {
    try {
      return value instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(value));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
