package dev.jbuild.cli.bake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compose, bake JSON and the HCL subset read into the same resolved targets. */
class BakeDefinitionTest {
  @TempDir Path dir;

  private static final String HCL = """
      # variables: the environment overrides the default
      variable "TAG" {
        default = "dev"
      }
      variable "REGISTRY" { default = "127.0.0.1:5000" }

      group "default" {
        targets = ["api", "web"]
      }

      /* shared settings */
      target "_common" {
        context = "."
        platforms = ["linux/amd64", "linux/arm64"]
        args = {
          BASE = "busybox"
          MODE = "release"
        }
        labels = { "org.opencontainers.image.vendor" = "jbuild" }
      }

      target "api" {
        inherits = ["_common"]
        target = "api"
        tags = ["${REGISTRY}/api:${TAG}"]
        args = { MODE = "debug" }   // maps merge with the parent's
      }

      target "web" {
        inherits = ["_common"]
        dockerfile = "web.Dockerfile"
        tags = ["${REGISTRY}/web:${TAG}", "${REGISTRY}/web:latest"]
        no-cache = true
      }
      """;

  private BakeDefinition load(String name, String text, Map<String, String> env) throws Exception {
    return BakeDefinition.load(List.of(Files.writeString(dir.resolve(name), text)), env);
  }

  @Test
  void hclGroupsInheritsAndVariables() throws Exception {
    List<BakeTarget> ts = load("docker-bake.hcl", HCL, Map.of("TAG", "1.2")).resolve(List.of(), List.of());
    assertEquals(List.of(
        new BakeTarget("api", ".", "Dockerfile", Map.of("BASE", "busybox", "MODE", "debug"),
            Map.of("org.opencontainers.image.vendor", "jbuild"), List.of("127.0.0.1:5000/api:1.2"),
            List.of("linux/amd64", "linux/arm64"), Optional.of("api"), List.of(), List.of(), List.of(), Map.of(),
            List.of(), false, false),
        new BakeTarget("web", ".", "web.Dockerfile", Map.of("BASE", "busybox", "MODE", "release"),
            Map.of("org.opencontainers.image.vendor", "jbuild"), List.of("127.0.0.1:5000/web:1.2", "127.0.0.1:5000/web:latest"),
            List.of("linux/amd64", "linux/arm64"), Optional.empty(), List.of(), List.of(), List.of(), Map.of(),
            List.of(), true, false)), ts);
  }

  @Test
  void setOverridesMatchingTargets() throws Exception {
    List<BakeTarget> ts = load("docker-bake.hcl", HCL, Map.of()).resolve(List.of("api"), List.of(
        "*.platform=linux/arm64", "api.args.MODE=test", "api.tags=reg.example/api:x", "api.labels.extra=1",
        "api.output=type=oci,dest=api.tar"));
    BakeTarget api = ts.get(0);
    assertEquals(1, ts.size());
    assertEquals(List.of("linux/arm64"), api.platforms());
    assertEquals(Map.of("BASE", "busybox", "MODE", "test"), api.args());
    assertEquals(List.of("reg.example/api:x"), api.tags());
    assertEquals(Map.of("org.opencontainers.image.vendor", "jbuild", "extra", "1"), api.labels());
    assertEquals(List.of("type=oci,dest=api.tar"), api.outputs());
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> load("docker-bake.hcl", HCL, Map.of()).resolve(List.of("api"), List.of("nope.tags=x")));
    assertEquals("--set nope.tags=x: could not find any target matching 'nope'", none.getMessage());
  }

  @Test
  void bakeJsonReadsTheSameAsHcl() throws Exception {
    String json = """
        {"variable": {"TAG": {"default": "dev"}},
         "group": {"default": {"targets": ["app"]}},
         "target": {"app": {"context": "src", "tags": ["reg/app:${TAG}"], "args": {"A": "1"},
                            "platforms": ["linux/amd64"], "secret": ["id=tok,env=TOKEN"]}}}
        """;
    List<BakeTarget> ts = load("docker-bake.json", json, Map.of()).resolve(List.of(), List.of());
    assertEquals(List.of(new BakeTarget("app", "src", "Dockerfile", Map.of("A", "1"), Map.of(), List.of("reg/app:dev"),
        List.of("linux/amd64"), Optional.empty(), List.of(), List.of(), List.of("id=tok,env=TOKEN"), Map.of(), List.of(),
        false, false)), ts);
  }

  @Test
  void composeBuildSectionsAreTargets() throws Exception {
    Files.writeString(dir.resolve("token.txt"), "t");
    String compose = """
        services:
          db:
            image: postgres:16
          api:
            image: 127.0.0.1:5000/api:${TAG:-dev}
            build:
              context: ./api
              dockerfile: api.Dockerfile
              target: runtime
              args:
                - VERSION=1.0
                - FROM_ENV
              labels:
                com.example.team: backend
              platforms: [linux/amd64, linux/arm64]
              tags: [127.0.0.1:5000/api:extra]
              secrets: [token]
              cache_from: [127.0.0.1:5000/api:cache]
          web:
            build: ./web
        secrets:
          token:
            file: ./token.txt
        """;
    List<BakeTarget> ts = load("compose.yaml", compose, Map.of("FROM_ENV", "from-env")).resolve(List.of(), List.of());
    assertEquals(List.of(
        new BakeTarget("api", dir.resolve("api").toString(), "api.Dockerfile", Map.of("VERSION", "1.0", "FROM_ENV", "from-env"),
            Map.of("com.example.team", "backend"), List.of("127.0.0.1:5000/api:dev", "127.0.0.1:5000/api:extra"),
            List.of("linux/amd64", "linux/arm64"), Optional.of("runtime"), List.of("127.0.0.1:5000/api:cache"), List.of(),
            List.of("id=token,src=" + dir.resolve("token.txt")), Map.of(), List.of(), false, false),
        new BakeTarget("web", dir.resolve("web").toString(), "Dockerfile", Map.of(), Map.of(), List.of(), List.of(),
            Optional.empty(), List.of(), List.of(), List.of(), Map.of(), List.of(), false, false)), ts);
  }

  @Test
  void composeRunSettingsAreEachServicesOwn() throws Exception {
    String compose = """
        services:
          api:
            build:
              context: .
              network: none
              extra_hosts:
                - "db.internal:10.1.2.3"
                - "db.internal=fd00::5"
                - "gw:host-gateway"
              shm_size: 256m
              ulimits:
                nproc: 4096
                nofile:
                  soft: 1234
                  hard: 5678
          web:
            build:
              context: .
              extra_hosts:
                cache.internal: 10.9.9.9
                both: ["10.0.0.1", "10.0.0.2"]
              shm_size: 134217728
          plain:
            build: .
        """;
    List<BakeTarget> ts = load("compose.yaml", compose, Map.of()).resolve(List.of(), List.of());
    assertEquals(List.of("api", "web", "plain"), ts.stream().map(BakeTarget::name).toList());
    assertEquals(new BakeTarget.RunSettings(Optional.of("none"),
        Map.of("db.internal", "10.1.2.3,fd00::5", "gw", "host-gateway"), Optional.of("256m"),
        List.of("nproc=4096", "nofile=1234:5678")), ts.get(0).run());
    assertEquals(new BakeTarget.RunSettings(Optional.empty(),
        Map.of("cache.internal", "10.9.9.9", "both", "10.0.0.1,10.0.0.2"), Optional.of("134217728"), List.of()),
        ts.get(1).run());
    assertEquals(BakeTarget.RunSettings.DEFAULT, ts.get(2).run());
    // --set reaches them as bake's own keys
    List<BakeTarget> set = load("compose.yaml", compose, Map.of()).resolve(List.of("plain"),
        List.of("plain.shm-size=1g", "plain.ulimits=nofile=100:200", "plain.extra-hosts.h=10.0.0.9", "plain.network=host"));
    assertEquals(new BakeTarget.RunSettings(Optional.of("host"), Map.of("h", "10.0.0.9"), Optional.of("1g"),
        List.of("nofile=100:200")), set.get(0).run());
    var printed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(BakeDefinition.print(List.of("plain"), set));
    assertEquals("{\"context\":\"" + dir + "\",\"dockerfile\":\"Dockerfile\",\"network\":\"host\","
        + "\"extra-hosts\":{\"h\":\"10.0.0.9\"},\"shm-size\":\"1g\",\"ulimits\":[\"nofile=100:200\"]}",
        printed.at("/target/plain").toString());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> load("compose.yaml",
        "services:\n  a:\n    build:\n      ulimits:\n        nofile: {soft: 1}\n", Map.of()));
    assertEquals(dir.resolve("compose.yaml") + ": services.a.build.ulimits.nofile: expected a number or soft: and hard:",
        bad.getMessage());
  }

  @Test
  void printShowsTheResolvedDefinition() throws Exception {
    List<BakeTarget> ts = load("docker-bake.hcl", HCL, Map.of()).resolve(List.of("web"), List.of());
    assertEquals("""
        {
          "group" : {
            "default" : {
              "targets" : [ "web" ]
            }
          },
          "target" : {
            "web" : {
              "context" : ".",
              "dockerfile" : "web.Dockerfile",
              "args" : {
                "BASE" : "busybox",
                "MODE" : "release"
              },
              "labels" : {
                "org.opencontainers.image.vendor" : "jbuild"
              },
              "tags" : [ "127.0.0.1:5000/web:dev", "127.0.0.1:5000/web:latest" ],
              "platforms" : [ "linux/amd64", "linux/arm64" ],
              "no-cache" : true
            }
          }
        }""", BakeDefinition.print(List.of("web"), ts));
  }

  @Test
  void hclOutsideTheSubsetIsLocated() throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load("docker-bake.hcl",
        "target \"a\" {\n  tags = [notequal(\"x\", \"y\")]\n}\n", Map.of()));
    assertEquals(dir.resolve("docker-bake.hcl") + ":2:11: function calls (notequal(…)) are not supported by jbuild's HCL subset",
        e.getMessage());
    IllegalArgumentException cycle = assertThrows(IllegalArgumentException.class, () -> load("docker-bake.hcl",
        "target \"a\" {\n inherits = [\"b\"]\n}\ntarget \"b\" {\n inherits = [\"a\"]\n}\n", Map.of()).resolve(List.of("a"), List.of()));
    assertEquals("target \"a\" inherits from itself (a -> b -> a)", cycle.getMessage());
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> load("docker-bake.hcl", HCL, Map.of()).resolve(List.of("nothing"), List.of()));
    assertEquals("failed to find target nothing (known: default, _common, api, web)", missing.getMessage());
  }
}
