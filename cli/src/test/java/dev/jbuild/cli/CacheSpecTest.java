package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** --cache-to/--cache-from in BuildKit's syntax; misuse names the flag and what is wrong. */
class CacheSpecTest {
  @Test
  void parsesBuildkitForms() throws Exception {
    CacheSpec local = CacheSpec.parse("type=local,dest=/tmp/c,mode=max", CacheSpec.Direction.TO);
    assertEquals(new CacheSpec("local", Map.of("type", "local", "dest", "/tmp/c", "mode", "max")), local);
    assertEquals("max", local.mode());
    assertEquals("gzip", local.compression());
    CacheSpec bare = CacheSpec.parse("127.0.0.1:5000/app:cache", CacheSpec.Direction.FROM);
    assertEquals(new CacheSpec("registry", Map.of("type", "registry", "ref", "127.0.0.1:5000/app:cache")), bare);
    assertEquals("min", bare.mode());
    assertEquals("uncompressed",
        CacheSpec.parse("type=registry,ref=r/x:c,compression=uncompressed", CacheSpec.Direction.TO).compression());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "TO | type=gha | --cache-to type=gha: type=gha is not supported by jbuild (supported: local, registry)",
      "TO | type=local | --cache-to type=local: type=local needs dest=",
      "FROM | type=local,dest=/x | --cache-from type=local,dest=/x: unknown option dest",
      "TO | type=registry,ref=r/x:c,mode=all | --cache-to type=registry,ref=r/x:c,mode=all: mode must be min or max",
      "TO | dest=/x | --cache-to dest=/x: missing type= (local, registry or inline)",
      "TO | type=local,dest=/x,compression=zstd | --cache-to type=local,dest=/x,compression=zstd: compression must be gzip"
          + " or uncompressed for cache exports (an importer must be able to check every layer against its diff id)",
      "FROM | type=registry,ref=r//x | --cache-from type=registry,ref=r//x: invalid reference format: \"r//x\":"
          + " empty path component",
  })
  void misuseNamesTheFlag(CacheSpec.Direction dir, String value, String message) {
    UserError e = assertThrows(UserError.class, () -> CacheSpec.parse(value, dir));
    assertEquals(message, e.getMessage());
  }
}
