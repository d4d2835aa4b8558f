package dev.jbuild.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {
  @Test
  void parsesDockerHubBearerChallenge() {
    AuthChallenge c = AuthChallenge.select(List.of(
        "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
            + "scope=\"repository:library/busybox:pull,push repository:library/alpine:pull\"")).orElseThrow();
    assertTrue(c.isBearer());
    assertEquals("https://auth.docker.io/token", c.param("realm").orElseThrow());
    assertEquals("registry.docker.io", c.param("service").orElseThrow());
    assertEquals(List.of("repository:library/busybox:pull,push", "repository:library/alpine:pull"), c.scopes());
  }

  @Test
  void prefersBearerAmongSeveralChallenges() {
    AuthChallenge c = AuthChallenge.select(List.of(
        "Basic realm=\"Registry Realm\", Bearer realm=https://t.example/token , error=\"insufficient_scope\"")).orElseThrow();
    assertEquals("bearer", c.scheme());
    assertEquals(Map.of("realm", "https://t.example/token", "error", "insufficient_scope"), c.params());
  }

  @Test
  void parsesBasicAndQuotedEscapes() {
    List<AuthChallenge> all = AuthChallenge.parseAll("Basic realm=\"a \\\"quoted\\\" realm, with comma\"");
    assertEquals(1, all.size());
    assertTrue(all.get(0).isBasic());
    assertEquals("a \"quoted\" realm, with comma", all.get(0).param("realm").orElseThrow());
    assertTrue(AuthChallenge.select(List.of("")).isEmpty());
  }
}
