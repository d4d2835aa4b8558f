package dev.jbuild.nativeexec;

import java.time.Instant;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One member of a tar archive as jbuild reads and writes layers: names are relative, with no
 * leading {@code ./} and no trailing slash; xattr values are raw bytes (capabilities are binary).
 */
record TarEntry(String name, Type type, int mode, long uid, long gid, long size, Instant mtime,
    String linkName, long devMajor, long devMinor, SortedMap<String, byte[]> xattrs) {

  enum Type {
    FILE('0'), HARDLINK('1'), SYMLINK('2'), CHAR_DEVICE('3'), BLOCK_DEVICE('4'), DIRECTORY('5'), FIFO('6');

    final char flag;

    Type(char flag) {
      this.flag = flag;
    }
  }

  TarEntry {
    linkName = linkName == null ? "" : linkName;
    xattrs = Collections.unmodifiableSortedMap(new TreeMap<>(xattrs == null ? new TreeMap<>() : xattrs));
  }

  static TarEntry of(String name, Type type, int mode, long uid, long gid, Instant mtime) {
    return new TarEntry(name, type, mode, uid, gid, 0, mtime, "", 0, 0, null);
  }

  TarEntry withSize(long newSize) {
    return new TarEntry(name, type, mode, uid, gid, newSize, mtime, linkName, devMajor, devMinor, xattrs);
  }

  TarEntry withLink(String target) {
    return new TarEntry(name, type, mode, uid, gid, size, mtime, target, devMajor, devMinor, xattrs);
  }

  TarEntry withType(Type newType) {
    return new TarEntry(name, newType, mode, uid, gid, size, mtime, linkName, devMajor, devMinor, xattrs);
  }

  TarEntry withDevice(long major, long minor) {
    return new TarEntry(name, type, mode, uid, gid, size, mtime, linkName, major, minor, xattrs);
  }

  TarEntry withXattrs(SortedMap<String, byte[]> values) {
    return new TarEntry(name, type, mode, uid, gid, size, mtime, linkName, devMajor, devMinor, values);
  }
}
