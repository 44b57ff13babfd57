package dev.faultline.monitoring.slo;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One service level objective of {@code monitoring/slo.yaml}: a user journey's SLI, the share of
 * its events that must be good ({@code objective}, a percentage) over the file's window.
 */
public record Slo(String name, String journey, double objective, String description, Sli sli) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

  public Slo {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("an SLO name is lower-case words joined by '-': " + name);
    }
    if (!(objective > 0 && objective < 100)) {
      throw new IllegalArgumentException(name + ": objective must be a percentage in (0, 100)");
    }
  }

  /** The error budget: the share of events allowed to be bad, 0.005 for 99.5. */
  public double budget() {
    // Rounded so 100 - 99.9 prints as 0.001, not 0.0009999999999976694.
    return Math.round((100 - objective) * 1e6) / 1e8;
  }

  /** Good and total events, counted by the services' own metrics. */
  public sealed interface Sli {
    /** Labels (matched exactly) that pick the journey's events. */
    Map<String, String> select();
  }

  /**
   * Events of a counter: {@code select} picks the journey's, and those also matching {@code bad}
   * failed.
   */
  public record Events(String metric, Map<String, String> select, Map<String, String> bad)
      implements Sli {
    public Events {
      if (bad.isEmpty()) {
        throw new IllegalArgumentException(metric + ": an events SLI needs labels for 'bad'");
      }
      select = Map.copyOf(select);
      bad = Map.copyOf(bad);
    }
  }

  /**
   * Requests of a histogram ({@code histogram} is its base name, without {@code _bucket}): those
   * {@code select} picks are good when they took at most {@code within}, an exported bucket bound.
   */
  public record Latency(String histogram, Map<String, String> select, Duration within)
      implements Sli {
    public Latency {
      select = Map.copyOf(select);
    }

    /**
     * The bucket's {@code le} label as Micrometer writes it: seconds, {@code 0.25}, {@code 1.0}.
     */
    public String le() {
      return Double.toString(within.toNanos() / 1e9);
    }
  }
}
