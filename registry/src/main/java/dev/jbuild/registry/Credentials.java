package dev.jbuild.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A user name and password (or token) for one registry; {@link #toString()} never shows them. */
record Credentials(String username, String password, String source) {

  String basicAuthorization() {
    return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "Credentials[from " + source + "]";
  }
}
