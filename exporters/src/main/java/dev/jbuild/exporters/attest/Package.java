package dev.jbuild.exporters.attest;

/**
 * A software package found in an image.
 *
 * @param purl its package URL ({@code pkg:deb/debian/busybox-static@1.35.0-4?arch=amd64})
 * @param source the file it was listed in, without the leading {@code /}
 */
public record Package(String name, String version, String purl, String source) {}
