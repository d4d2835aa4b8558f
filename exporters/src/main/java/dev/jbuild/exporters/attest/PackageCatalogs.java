package dev.jbuild.exporters.attest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbuild.oci.Json;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The package lists an image carries that can be read without running anything: dpkg's status
 * database, apk's installed database, npm's package-lock.json, Go's go.sum and Python's
 * {@code *.dist-info/METADATA}. A malformed list is skipped (an SBOM is best effort), never fatal.
 */
final class PackageCatalogs {
  private PackageCatalogs() {}

  /** Whether a path is one of the files read here. */
  static boolean wanted(String path) {
    return path.equals("var/lib/dpkg/status") || path.startsWith("var/lib/dpkg/status.d/")
        || path.equals("lib/apk/db/installed")
        || (path.endsWith("/package-lock.json") || path.equals("package-lock.json")) && !path.contains("node_modules/")
        || path.endsWith("go.sum")
        || path.endsWith(".dist-info/METADATA");
  }

  /** Every package in the given files, in path order then file order. */
  static List<Package> packages(Map<String, byte[]> files) {
    List<Package> out = new ArrayList<>();
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      String path = f.getKey();
      String text = new String(f.getValue(), StandardCharsets.UTF_8);
      if (path.startsWith("var/lib/dpkg/")) {
        out.addAll(dpkg(text, path));
      } else if (path.equals("lib/apk/db/installed")) {
        out.addAll(apk(text, path));
      } else if (path.endsWith("package-lock.json")) {
        out.addAll(npm(f.getValue(), path));
      } else if (path.endsWith("go.sum")) {
        out.addAll(goSum(text, path));
      } else if (path.endsWith("METADATA")) {
        out.addAll(python(text, path));
      }
    }
    return out;
  }

  /** RFC 822-style paragraphs separated by blank lines; continuation lines are dropped. */
  private static List<Map<String, String>> paragraphs(String text, String separator) {
    List<Map<String, String>> out = new ArrayList<>();
    Map<String, String> cur = new LinkedHashMap<>();
    for (String line : text.split("\n", -1)) {
      if (line.isBlank()) {
        if (!cur.isEmpty()) {
          out.add(cur);
          cur = new LinkedHashMap<>();
        }
        continue;
      }
      if (line.startsWith(" ") || line.startsWith("\t")) {
        continue;
      }
      int colon = line.indexOf(separator);
      if (colon > 0) {
        cur.putIfAbsent(line.substring(0, colon), line.substring(colon + separator.length()).strip());
      }
    }
    if (!cur.isEmpty()) {
      out.add(cur);
    }
    return out;
  }

  static List<Package> dpkg(String text, String source) {
    // removed packages keep a paragraph ("deinstall ok config-files"): only installed ones count
    return osPackages(text, source, "Package", "Version", "Architecture", "pkg:deb/debian/",
        p -> p.getOrDefault("Status", "install ok installed").endsWith(" installed"));
  }

  static List<Package> apk(String text, String source) {
    return osPackages(text, source, "P", "V", "A", "pkg:apk/alpine/", p -> true);
  }

  /** One package per paragraph of a distribution's database that has a name and a version. */
  private static List<Package> osPackages(String text, String source, String nameKey, String versionKey,
      String archKey, String purlPrefix, java.util.function.Predicate<Map<String, String>> installed) {
    List<Package> out = new ArrayList<>();
    for (Map<String, String> p : paragraphs(text, ":")) {
      String name = p.get(nameKey);
      String version = p.get(versionKey);
      if (name == null || version == null || !installed.test(p)) {
        continue;
      }
      String arch = p.getOrDefault(archKey, "");
      out.add(new Package(name, version, purlPrefix + enc(name) + "@" + enc(version)
          + (arch.isEmpty() ? "" : "?arch=" + enc(arch)), source));
    }
    return out;
  }

  /** lockfileVersion 2/3 ({@code packages}) or 1 ({@code dependencies}); the root project is not a dependency. */
  static List<Package> npm(byte[] bytes, String source) {
    List<Package> out = new ArrayList<>();
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(bytes);
    } catch (IOException e) {
      return out;
    }
    JsonNode packages = root.path("packages");
    if (packages.isObject()) {
      packages.fields().forEachRemaining(e -> {
        String key = e.getKey();
        int nm = key.lastIndexOf("node_modules/");
        if (key.isEmpty() || nm < 0) {
          return;
        }
        String name = e.getValue().path("name").asText(key.substring(nm + "node_modules/".length()));
        String version = e.getValue().path("version").asText("");
        if (!version.isEmpty()) {
          out.add(npmPackage(name, version, source));
        }
      });
    } else {
      root.path("dependencies").fields().forEachRemaining(e -> {
        String version = e.getValue().path("version").asText("");
        if (!version.isEmpty()) {
          out.add(npmPackage(e.getKey(), version, source));
        }
      });
    }
    return out;
  }

  private static Package npmPackage(String name, String version, String source) {
    // a scoped name keeps its @scope as the purl namespace
    String purlName = name.startsWith("@") ? "%40" + enc(name.substring(1)).replace("%2F", "/") : enc(name);
    return new Package(name, version, "pkg:npm/" + purlName + "@" + enc(version), source);
  }

  /** go.sum: {@code module version h1:…}; the {@code /go.mod}-only lines are not packages. */
  static List<Package> goSum(String text, String source) {
    List<Package> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length != 3 || f[1].endsWith("/go.mod") || !f[2].startsWith("h1:")) {
        continue;
      }
      out.add(new Package(f[0], f[1], "pkg:golang/" + f[0] + "@" + enc(f[1]), source));
    }
    return out;
  }

  /** Core metadata headers up to the first blank line. */
  static List<Package> python(String text, String source) {
    List<Map<String, String>> p = paragraphs(text, ": ");
    if (p.isEmpty() || p.get(0).get("Name") == null || p.get(0).get("Version") == null) {
      return List.of();
    }
    String name = p.get(0).get("Name");
    String version = p.get(0).get("Version");
    String normal = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[-_.]+", "-");
    return List.of(new Package(name, version, "pkg:pypi/" + enc(normal) + "@" + enc(version), source));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
