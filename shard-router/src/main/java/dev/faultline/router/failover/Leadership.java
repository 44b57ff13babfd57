package dev.faultline.router.failover;

import dev.faultline.shard.ShardsProperties;
import java.io.IOException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Only one router repairs shards at a time: a Curator leader latch. Leadership alone is not enough
 * (a paused leader may wake after losing it), so every topology change the leader makes is a
 * ZooKeeper transaction that also checks its latch node still exists: a leader whose session ended
 * cannot change the topology, whatever it believes.
 */
@Component
public class Leadership implements SmartLifecycle {
  private final LeaderLatch latch;
  private volatile boolean running;

  Leadership(CuratorFramework zk, ShardsProperties shards) {
    this.latch = new LeaderLatch(zk, shards.zkRoot() + "/router-leader");
  }

  public boolean isLeader() {
    return running && latch.hasLeadership();
  }

  /** The latch node a topology change must find still present (see the class comment). */
  public String guardPath() {
    return latch.getOurPath();
  }

  @Override
  public void start() {
    try {
      latch.start();
      running = true;
    } catch (Exception e) {
      throw new IllegalStateException("cannot join the router election", e);
    }
  }

  @Override
  public void stop() {
    running = false;
    try {
      latch.close();
    } catch (IOException | IllegalStateException ignored) {
      // Closing twice, or the session is already gone: either way we are no longer leader.
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
