package dev.jbuild.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Docker config is found as the docker CLI finds it: $DOCKER_CONFIG, $HOME/.docker, the passwd home. */
class DockerConfigLocationTest {
  @Test
  void dockerConfigWins() {
    assertEquals(Path.of("/ci/docker"), DockerConfigLocation.directory(
        Map.of("DOCKER_CONFIG", "/ci/docker", "HOME", "/github/home"), "/root"));
  }

  @Test
  void homeComesBeforeThePasswdEntry() {
    assertEquals(Path.of("/github/home/.docker"), DockerConfigLocation.directory(Map.of("HOME", "/github/home"), "/root"));
    assertEquals(Path.of("/github/home/.docker"), DockerConfigLocation.directory(
        Map.of("DOCKER_CONFIG", "", "HOME", "/github/home"), "/root"));
  }

  @Test
  void thePasswdHomeIsTheLastResort() {
    assertEquals(Path.of("/root/.docker"), DockerConfigLocation.directory(Map.of(), "/root"));
    assertEquals(Path.of("/root/.docker"), DockerConfigLocation.directory(Map.of("HOME", ""), "/root"));
  }

  @Test
  void serverKeysAreDockers() {
    assertEquals("https://index.docker.io/v1/", DockerLogin.serverKey("docker.io"));
    assertEquals("https://index.docker.io/v1/", DockerLogin.serverKey("index.docker.io"));
    assertEquals("https://index.docker.io/v1/", DockerLogin.serverKey(""));
    assertEquals("127.0.0.1:5000", DockerLogin.serverKey("https://127.0.0.1:5000/"));
    assertEquals("ghcr.io", DockerLogin.serverKey("ghcr.io"));
  }
}
