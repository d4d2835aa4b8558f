package dev.jbuild.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * DSSE envelopes (Dead Simple Signing Envelope, v1): the signature covers the pre-authentication
 * encoding {@code "DSSEv1" SP len(type) SP type SP len(body) SP body}, so neither the payload nor
 * its type can be swapped.
 */
public final class Dsse {
  public static final String MEDIA_TYPE = "application/vnd.dsse.envelope.v1+json";
  public static final String IN_TOTO_PAYLOAD = "application/vnd.in-toto+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Dsse() {}

  static byte[] pae(String payloadType, byte[] payload) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    byte[] head = ("DSSEv1 " + type.length + " " + payloadType + " " + payload.length + " ").getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[head.length + payload.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(payload, 0, out, head.length, payload.length);
    return out;
  }

  /** The envelope's JSON bytes. */
  public static byte[] sign(Signer signer, String payloadType, byte[] payload) throws SigningException {
    ObjectNode e = JSON.createObjectNode();
    e.put("payloadType", payloadType);
    e.put("payload", Base64.getEncoder().encodeToString(payload));
    e.putArray("signatures").addObject().put("keyid", "")
        .put("sig", Base64.getEncoder().encodeToString(signer.sign(pae(payloadType, payload))));
    try {
      return JSON.writeValueAsBytes(e);
    } catch (IOException ex) {
      throw new SigningException("cannot write the DSSE envelope", ex);
    }
  }

  /** The payload of an envelope one of whose signatures {@code verifier} accepts; fails otherwise. */
  public static byte[] open(Verifier verifier, byte[] envelope, String expectedType) throws SigningException {
    JsonNode e;
    try {
      e = JSON.readTree(envelope);
    } catch (IOException ex) {
      throw new SigningException("the DSSE envelope is not JSON");
    }
    String type = e.path("payloadType").asText("");
    if (!type.equals(expectedType)) {
      throw new SigningException("the DSSE envelope holds " + (type.isEmpty() ? "no payload type" : type)
          + ", not " + expectedType);
    }
    byte[] payload;
    try {
      payload = Base64.getDecoder().decode(e.path("payload").asText(""));
    } catch (IllegalArgumentException ex) {
      throw new SigningException("the DSSE payload is not base64");
    }
    for (JsonNode s : e.path("signatures")) {
      byte[] sig;
      try {
        sig = Base64.getDecoder().decode(s.path("sig").asText(""));
      } catch (IllegalArgumentException ex) {
        continue;
      }
      if (verifier.verify(pae(type, payload), sig)) {
        return payload;
      }
    }
    throw new SigningException("no signature in the DSSE envelope matches the key");
  }
}
