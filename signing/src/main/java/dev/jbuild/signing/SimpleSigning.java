package dev.jbuild.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * cosign's "simple signing" payload: the claim "this repository's image is the manifest with
 * this digest", which the signature covers byte for byte.
 */
public final class SimpleSigning {
  public static final String MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
  public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
  static final String TYPE = "cosign container image signature";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a verified payload claims. */
  public record Claim(String dockerReference, String manifestDigest) {}

  private SimpleSigning() {}

  public static byte[] payload(String dockerReference, String manifestDigest) {
    ObjectNode p = JSON.createObjectNode();
    ObjectNode critical = p.putObject("critical");
    critical.putObject("identity").put("docker-reference", dockerReference);
    critical.putObject("image").put("docker-manifest-digest", manifestDigest);
    critical.put("type", TYPE);
    p.putNull("optional");
    try {
      return JSON.writeValueAsBytes(p);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Claim parse(byte[] payload) throws SigningException {
    JsonNode p;
    try {
      p = JSON.readTree(payload);
    } catch (IOException e) {
      throw new SigningException("the signed payload is not JSON");
    }
    JsonNode c = p.path("critical");
    if (!TYPE.equals(c.path("type").asText())) {
      throw new SigningException("the signed payload is not a cosign container image signature");
    }
    return new Claim(c.path("identity").path("docker-reference").asText(""),
        c.path("image").path("docker-manifest-digest").asText(""));
  }
}
