package dev.jbuild.solver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Resolves a USER spec against a root filesystem's /etc/passwd and /etc/group, as Docker does. */
final class Users {
  private Users() {}

  record Resolved(int uid, int gid, List<Integer> additionalGids) {}

  static Resolved resolve(Path root, String spec) throws IOException, UnknownUserException {
    if (spec == null || spec.isEmpty()) {
      // no USER: root, even in images without /etc/passwd (FROM scratch)
      return new Resolved(0, 0, List.of());
    }
    String userPart = spec;
    String groupPart = null;
    int colon = spec.indexOf(':');
    if (colon >= 0) {
      userPart = spec.substring(0, colon);
      groupPart = spec.substring(colon + 1);
    }
    List<String[]> passwd = read(root, "/etc/passwd");
    List<String[]> groups = read(root, "/etc/group");
    int uid;
    int gid = 0;
    String name = null;
    String[] entry = find(passwd, userPart);
    if (entry != null) {
      name = entry[0];
      uid = Integer.parseInt(entry[2]);
      gid = Integer.parseInt(entry[3]);
    } else if (userPart.matches("\\d+")) {
      uid = Integer.parseInt(userPart);
    } else {
      throw new UnknownUserException("unable to find user " + userPart + ": no matching entries in passwd file");
    }
    List<Integer> extra = new ArrayList<>();
    if (groupPart != null) {
      String[] g = find(groups, groupPart);
      if (g != null) {
        gid = Integer.parseInt(g[2]);
      } else if (groupPart.matches("\\d+")) {
        gid = Integer.parseInt(groupPart);
      } else {
        throw new UnknownUserException("unable to find group " + groupPart + ": no matching entries in group file");
      }
    } else if (name != null) {
      for (String[] g : groups) {
        if (g.length > 3 && List.of(g[3].split(",")).contains(name)) {
          int id = Integer.parseInt(g[2]);
          if (id != gid && !extra.contains(id)) {
            extra.add(id);
          }
        }
      }
    }
    return new Resolved(uid, gid, extra);
  }

  /**
   * The owner {@code COPY/ADD --chown=user[:group]} gives, as BuildKit resolves it: a numeric user
   * is taken as is, with gid = uid unless a group is given (no passwd lookup); a name is looked up
   * in /etc/passwd (its primary group); a group name in /etc/group, a numeric group as is.
   */
  static Op.Ownership resolveChown(Path root, String spec) throws IOException, UnknownUserException {
    int colon = spec.indexOf(':');
    String userPart = colon < 0 ? spec : spec.substring(0, colon);
    String groupPart = colon < 0 ? null : spec.substring(colon + 1);
    int uid;
    int gid;
    if (userPart.matches("\\d+")) {
      uid = Integer.parseInt(userPart);
      gid = uid;
    } else {
      String[] entry = find(read(root, "/etc/passwd"), userPart);
      if (entry == null || !entry[0].equals(userPart)) {
        throw new UnknownUserException("unable to find user " + userPart + ": no matching entries in passwd file");
      }
      uid = Integer.parseInt(entry[2]);
      gid = Integer.parseInt(entry[3]);
    }
    if (groupPart != null) {
      if (groupPart.matches("\\d+")) {
        gid = Integer.parseInt(groupPart);
      } else {
        String[] g = find(read(root, "/etc/group"), groupPart);
        if (g == null || !g[0].equals(groupPart)) {
          throw new UnknownUserException("unable to find group " + groupPart + ": no matching entries in group file");
        }
        gid = Integer.parseInt(g[2]);
      }
    }
    return new Op.Ownership(uid, gid);
  }

  /** By name first, then by numeric id (third field). */
  private static String[] find(List<String[]> entries, String key) {
    for (String[] e : entries) {
      if (e[0].equals(key)) {
        return e;
      }
    }
    if (key.matches("\\d+")) {
      for (String[] e : entries) {
        if (e[2].equals(key)) {
          return e;
        }
      }
    }
    return null;
  }

  private static List<String[]> read(Path root, String file) throws IOException {
    Path p = RootPath.resolve(root, file, true);
    List<String[]> out = new ArrayList<>();
    if (!Files.isRegularFile(p)) {
      return out;
    }
    for (String line : Files.readAllLines(p)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split(":", -1);
      boolean passwd = file.endsWith("passwd");
      // passwd: name:pw:uid:gid:…  group: name:pw:gid:members; malformed lines are ignored as libc does
      if (f.length >= (passwd ? 4 : 3) && f[2].matches("\\d+") && (!passwd || f[3].matches("\\d+"))) {
        out.add(f);
      }
    }
    return out;
  }

  static final class UnknownUserException extends Exception {
    UnknownUserException(String message) {
      super(message);
    }
  }
}
