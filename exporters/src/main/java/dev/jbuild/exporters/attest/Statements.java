package dev.jbuild.exporters.attest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbuild.oci.Json;
import dev.jbuild.platform.Platform;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** in-toto statements (v0.1, as BuildKit writes them) with jbuild's subject naming. */
final class Statements {
  static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v0.1";

  private Statements() {}

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /**
   * The statement's bytes: one subject per image name (or a nameless one), each with the
   * manifest digest — the form buildx gives its subjects ({@code pkg:docker/NAME?platform=…}).
   */
  static byte[] statement(String predicateType, AttestedImage image, List<String> names, ObjectNode predicate) {
    ObjectNode s = object();
    s.put("_type", STATEMENT_TYPE);
    s.put("predicateType", predicateType);
    var subjects = s.putArray("subject");
    for (String name : names.isEmpty() ? List.of("") : names) {
      ObjectNode subject = subjects.addObject();
      subject.put("name", purl(name, image.platform()));
      subject.putObject("digest").put(image.manifest().digestValue().algorithm(), image.manifest().digestValue().hex());
    }
    s.set("predicate", predicate);
    return Json.write(s);
  }

  /** {@code pkg:docker/NAME?platform=os%2Farch}, or {@code pkg:docker?platform=…} without a name. */
  static String purl(String name, Platform platform) {
    return "pkg:docker" + (name.isEmpty() ? "" : "/" + name) + "?platform="
        + URLEncoder.encode(platform.toString(), StandardCharsets.UTF_8);
  }
}
