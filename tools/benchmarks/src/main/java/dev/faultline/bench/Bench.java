package dev.faultline.bench;

import dev.faultline.bench.ring.RingBench;
import java.util.Arrays;

/** Entry point of {@code bin/bench}: one subcommand per benchmark suite. */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) throws Exception {
    String which = args.length == 0 ? "help" : args[0];
    String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
    switch (which) {
      case "ring" -> RingBench.run(rest);
      case "failover" -> dev.faultline.bench.failover.FailoverBench.run(rest);
      case "locks" -> dev.faultline.bench.locks.LockBench.run(rest);
      case "saga" -> dev.faultline.bench.saga.SagaBench.run(rest);
      case "overload" -> dev.faultline.bench.gateway.OverloadBench.run(rest);
      case "balance" -> dev.faultline.bench.gateway.BalanceBench.run(rest);
      case "gateway" -> dev.faultline.bench.gateway.GatewayCostBench.run(rest);
      case "reshard" -> dev.faultline.bench.reshard.ReshardBench.run(rest);
      case "start" -> dev.faultline.bench.start.StartBench.run(rest);
      default -> {
        System.err.println(
            "usage: bin/bench ring [--quick]\n"
                + "       bin/bench failover [--shard N] [--writers 4] [--seconds 20]"
                + "   (against a running bin/suite)\n"
                + "       bin/bench locks [--cycles 2000]   (against a running bin/suite)\n"
                + "       bin/bench saga [--sagas 400] [--clients 4] [--cpu]   (against a running bin/suite)\n"
                + "       bin/bench overload [--seconds 15] [--customers 500]   (against a running"
                + " bin/suite)\n"
                + "       bin/bench balance [--requests 200000]   (a simulation, then against a"
                + " running bin/suite)\n"
                + "       bin/bench gateway [--requests 6000] [--clients 4]   (against a running"
                + " bin/suite)\n"
                + "       bin/bench reshard [--rows 200000] [--writers 8] [--before 15]"
                + "   (against a running bin/suite)\n"
                + "       bin/bench start [--cold]   (stops the local suite and starts it again;"
                + " --cold deletes its data first)");
        System.exit(which.equals("help") ? 0 : 2);
      }
    }
  }

  /** {@code --name N} from the command line, or the fallback. */
  public static int intArg(String[] args, String name, int fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }
}
