package dev.jbuild.nativeexec;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A SIGKILLed build leaves its runtime bundle (config.json with env, secret files) behind; the next one removes it. */
class StaleBundlesTest {
  @Test
  void removesBundlesOfDeadProcessesAndKeepsLiveOnes() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    Path parent = OciRuntimeExecutor.bundleDirectory();
    Path dead = Files.createTempDirectory(parent, "jbuild-run-" + p.pid() + "-");
    Path live = Files.createTempDirectory(parent, "jbuild-run-" + ProcessHandle.current().pid() + "-");
    try {
      Files.writeString(dead.resolve("config.json"), "{\"process\":{\"env\":[\"TOKEN=secret\"]}}");
      Files.createDirectories(dead.resolve("files"));
      Files.writeString(dead.resolve("files/secret"), "secret");
      Files.writeString(live.resolve("config.json"), "{}");

      OciRuntimeExecutor.removeStaleBundles();

      assertFalse(Files.exists(dead), "the dead build's bundle is removed");
      assertTrue(Files.exists(live.resolve("config.json")), "a running build's bundle is kept");
    } finally {
      LayerReader.removeRecursively(live);
      if (Files.exists(dead)) {
        LayerReader.removeRecursively(dead);
      }
    }
  }
}
