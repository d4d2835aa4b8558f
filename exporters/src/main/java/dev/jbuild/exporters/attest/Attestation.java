package dev.jbuild.exporters.attest;

/**
 * One in-toto statement about a platform's image, stored as a layer of that image's attestation
 * manifest.
 *
 * @param predicateType the statement's {@code predicateType} (also the layer's
 *     {@code in-toto.io/predicate-type} annotation)
 * @param statement the statement's exact JSON bytes
 */
public record Attestation(String predicateType, byte[] statement) {
  public static final String MEDIA_TYPE = "application/vnd.in-toto+json";
  public static final String PREDICATE_ANNOTATION = "in-toto.io/predicate-type";
}
