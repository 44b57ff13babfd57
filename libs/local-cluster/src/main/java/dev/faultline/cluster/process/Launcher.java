package dev.faultline.cluster.process;

import java.io.IOException;

/**
 * Who starts long-running processes: a test keeps the handles to kill them at the end, {@code
 * bin/suite} records them in pid files so a later invocation can find them.
 */
@FunctionalInterface
public interface Launcher {
  ProcessHandle start(LaunchSpec spec) throws IOException;
}
