package dev.faultline.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The stand-in instances one test registered, closed (unregistered, stopped) after it, then, if
 * asked, a pause so the gateway's load-balancer cache forgets them before the next test routes.
 */
final class StubServices implements AfterEachCallback {
  private final Duration forgetting;
  private final List<StubService> stubs = new ArrayList<>();

  StubServices(Duration forgetting) {
    this.forgetting = forgetting;
  }

  StubService add(StubService stub) {
    stubs.add(stub);
    return stub;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    for (StubService stub : stubs) {
      stub.close();
    }
    stubs.clear();
    Thread.sleep(forgetting.toMillis());
  }
}
