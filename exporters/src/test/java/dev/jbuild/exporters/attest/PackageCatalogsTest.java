package dev.jbuild.exporters.attest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The package lists an SBOM reads, including the malformed ones it must skip. */
class PackageCatalogsTest {
  private static List<String> purls(Map<String, String> files) {
    Map<String, byte[]> bytes = new java.util.TreeMap<>();
    files.forEach((k, v) -> bytes.put(k, v.getBytes(StandardCharsets.UTF_8)));
    return PackageCatalogs.packages(bytes).stream().map(Package::purl).toList();
  }

  @Test
  void selectsOnlyCatalogFiles() {
    assertEquals(List.of(true, true, true, true, false, true, true, false), List.of(
        PackageCatalogs.wanted("var/lib/dpkg/status"), PackageCatalogs.wanted("var/lib/dpkg/status.d/base"),
        PackageCatalogs.wanted("lib/apk/db/installed"), PackageCatalogs.wanted("srv/app/package-lock.json"),
        PackageCatalogs.wanted("srv/app/node_modules/x/package-lock.json"), PackageCatalogs.wanted("go.sum"),
        PackageCatalogs.wanted("usr/lib/python3/site-packages/a-1.dist-info/METADATA"),
        PackageCatalogs.wanted("etc/passwd")));
  }

  @Test
  void readsLockfileVersion1AndSkipsMalformedLists() {
    assertEquals(List.of("pkg:npm/left-pad@1.3.0"), purls(Map.of(
        "a/package-lock.json", "{\"lockfileVersion\":1,\"dependencies\":{\"left-pad\":{\"version\":\"1.3.0\"}}}",
        "b/package-lock.json", "{not json",
        "go.sum", "garbage line\nx v1 nothash\n",
        "x.dist-info/METADATA", "Metadata-Version: 2.1\n")));
  }

  @Test
  void dpkgKeepsOnlyInstalledPackagesAndIgnoresContinuationLines() {
    assertEquals(List.of("pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=arm64"), purls(Map.of("var/lib/dpkg/status",
        "Package: gone\nStatus: purge ok not-installed\nVersion: 1\n\n"
            + "Package: zlib1g\nStatus: install ok installed\nArchitecture: arm64\nVersion: 1:1.2.13.dfsg-1\n"
            + "Description: compression\n Version: 9.9 (a continuation line, not a field)\n")));
  }
}
