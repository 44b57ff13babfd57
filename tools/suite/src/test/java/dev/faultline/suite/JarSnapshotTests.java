package dev.faultline.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JarSnapshotTests {
  @Test
  void aRebuildGetsANewSnapshotAndLeavesTheRunningOneAlone(@TempDir Path tmp) throws Exception {
    Path jar = tmp.resolve("target/order-service.jar");
    Files.createDirectories(jar.getParent());
    Files.writeString(jar, "build 1");
    Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2026-12-04T10:00:00Z")));
    Path jars = tmp.resolve("home/jars");

    Path first = JarSnapshot.of(jar, jars);
    assertThat(first.getParent()).isEqualTo(jars);
    assertThat(first.getFileName().toString()).startsWith("order-service-").endsWith(".jar");
    assertThat(Files.readString(first)).isEqualTo("build 1");
    assertThat(JarSnapshot.of(jar, jars)).isEqualTo(first); // the same build: the same copy

    // A reproducible build stamps every jar with the same time; same size too, here.
    Files.writeString(jar, "build 2");
    Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2026-12-04T10:00:00Z")));
    Path second = JarSnapshot.of(jar, jars);
    assertThat(second).isNotEqualTo(first);
    assertThat(Files.readString(second)).isEqualTo("build 2");
    assertThat(Files.readString(first)).isEqualTo("build 1"); // what runs is untouched
    try (var left = Files.list(jars)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
    }
  }
}
