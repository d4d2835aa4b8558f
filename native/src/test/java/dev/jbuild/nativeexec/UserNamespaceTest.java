package dev.jbuild.nativeexec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the namespace's id map and the subordinate id files rootless mode maps with. */
class UserNamespaceTest {
  @TempDir
  Path tmp;

  @Test
  void theInitialNamespaceMapsEverythingToItself() throws Exception {
    Path map = tmp.resolve("uid_map");
    Files.writeString(map, "         0          0 4294967295\n");
    assertFalse(UserNamespace.readNested(map));
    Files.writeString(map, "         0       1001          1\n         1     100000      65536\n");
    assertTrue(UserNamespace.readNested(map));
  }

  @Test
  void overlayBookkeepingIsRecognisedUnderBothPrefixes() {
    assertTrue(UserNamespace.isOverlayXattr("trusted.overlay.opaque"));
    assertTrue(UserNamespace.isOverlayXattr("user.overlay.redirect"));
    assertFalse(UserNamespace.isOverlayXattr("security.capability"));
    assertFalse(UserNamespace.isOverlayXattr("user.mime_type"));
  }

  @Test
  void subordinateRangesAreFoundByNameOrUid() throws Exception {
    Path subuid = tmp.resolve("subuid");
    Files.writeString(subuid, "alice:100000:65536\nbroken:x:1\n1002:300000:1000\n");
    assertEquals(Optional.of(new RootlessLauncher.IdRange(100000, 65536)),
        RootlessLauncher.subordinateRange(subuid, "alice", 1001));
    assertEquals(Optional.of(new RootlessLauncher.IdRange(300000, 1000)),
        RootlessLauncher.subordinateRange(subuid, "bob", 1002));
    assertEquals(Optional.empty(), RootlessLauncher.subordinateRange(subuid, "broken", 1003));
    assertEquals(Optional.empty(), RootlessLauncher.subordinateRange(tmp.resolve("absent"), "alice", 1001));
  }
}
