package dev.jbuild.oci;


/**
 * One layer of a filesystem state: its compressed blob (in the content store) and the digest
 * of its uncompressed tar (the diff id named in the image config).
 */
public record Layer(Descriptor blob, Digest diffId) {
  public Digest digest() {
    return blob.digestValue();
  }
}
