package dev.jbuild.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** USER and --chown resolution against an image's own /etc/passwd and /etc/group. */
class UsersTest {
  @TempDir Path root;

  private void etc() throws Exception {
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\nbroken line\n");
    Files.writeString(root.resolve("etc/group"), "root:x:0:\napp:x:1001:\ndocker:x:999:app,other\nstaff:x:50:app\n");
  }

  @Test
  void noUserIsRootEvenWithoutPasswd() throws Exception {
    assertEquals(new Users.Resolved(0, 0, List.of()), Users.resolve(root, ""));
  }

  @Test
  void namesIdsAndGroups() throws Exception {
    etc();
    assertEquals(new Users.Resolved(1000, 1001, List.of(999, 50)), Users.resolve(root, "app"));
    assertEquals(new Users.Resolved(1000, 999, List.of()), Users.resolve(root, "app:docker"));
    assertEquals(new Users.Resolved(1000, 1001, List.of(999, 50)), Users.resolve(root, "1000"));
    assertEquals(new Users.Resolved(4242, 0, List.of()), Users.resolve(root, "4242"));
    assertEquals(new Users.Resolved(4242, 7, List.of()), Users.resolve(root, "4242:7"));
  }

  @Test
  void chownTakesIdsAsTheyAreAndNamesFromTheImage() throws Exception {
    etc();
    assertEquals(new Op.Ownership(1000, 1000), Users.resolveChown(root, "1000"), "a numeric user gets gid = uid, no lookup");
    assertEquals(new Op.Ownership(4242, 4242), Users.resolveChown(root, "4242"));
    assertEquals(new Op.Ownership(1000, 1001), Users.resolveChown(root, "app"));
    assertEquals(new Op.Ownership(1000, 999), Users.resolveChown(root, "app:docker"));
    assertEquals(new Op.Ownership(4242, 7), Users.resolveChown(root, "4242:7"));
    assertEquals(new Op.Ownership(5, 1001), Users.resolveChown(root, "5:app"));
    assertEquals("unable to find user nobody: no matching entries in passwd file",
        assertThrows(Users.UnknownUserException.class, () -> Users.resolveChown(root, "nobody")).getMessage());
    assertEquals("unable to find group nogroup: no matching entries in group file",
        assertThrows(Users.UnknownUserException.class, () -> Users.resolveChown(root, "app:nogroup")).getMessage());
  }

  @Test
  void unknownNamesAreErrors() throws Exception {
    etc();
    Users.UnknownUserException e = assertThrows(Users.UnknownUserException.class, () -> Users.resolve(root, "ghost"));
    assertTrue(e.getMessage().contains("unable to find user ghost"), e.getMessage());
    assertThrows(Users.UnknownUserException.class, () -> Users.resolve(root, "app:nogroup"));
  }

  @Test
  void passwdIsReadInsideTheRootEvenThroughSymlinks() throws Exception {
    Files.createDirectories(root.resolve("real"));
    Files.writeString(root.resolve("real/passwd"), "svc:x:77:77::/:/bin/sh\n");
    Files.createDirectories(root.resolve("etc"));
    Files.createSymbolicLink(root.resolve("etc/passwd"), Path.of("/real/passwd"));
    assertEquals(77, Users.resolve(root, "svc").uid());
  }
}
