package dev.faultline.suite;

import java.util.List;

/** {@code bin/suite}'s words: a process's name among options, and the options' values. */
final class CommandLine {
  private CommandLine() {}

  /** A command the user got wrong: its message alone (no stack trace), and exit code 2. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }

  /** Options that take a value: the word after one is that value, never a process's name. */
  static final java.util.Set<String> VALUED = java.util.Set.of("-n", "--customer", "--ttl-hours");

  /**
   * The first word that is neither an option nor an option's value ({@code logs -n 50 gateway}).
   */
  static String name(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (VALUED.contains(arg)) {
        i++;
      } else if (!arg.startsWith("-")) {
        return arg;
      }
    }
    throw new UsageException("which process? (bin/suite status lists them)");
  }

  static int intOption(List<String> args, String option, int fallback) {
    String value = stringOption(args, option, null);
    try {
      return value == null ? fallback : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new UsageException(option + " needs a number, got '" + value + "'");
    }
  }

  static String stringOption(List<String> args, String option, String fallback) {
    int i = args.indexOf(option);
    if (i < 0) {
      return fallback;
    }
    if (i + 1 >= args.size()) {
      throw new UsageException(option + " needs a value");
    }
    return args.get(i + 1);
  }
}
