package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The documented subset of Go templates for {@code imagetools inspect --format}. */
class GoTemplateTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String render(String template, String root, Map<String, String> computed) throws Exception {
    JsonNode rootNode = JSON.readTree(root);
    return GoTemplate.parse(template).render(rootNode, f -> {
      try {
        return computed.containsKey(f) ? JSON.readTree(computed.get(f)) : null;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Test
  void fieldsJsonAndIndex() throws Exception {
    String root = "{\"name\":\"r/app:1\",\"manifest\":{\"schemaVersion\":2,\"mediaType\":\"m\"}}";
    Map<String, String> computed = Map.of("SBOM",
        "{\"linux/amd64\":{\"SPDX\":{\"spdxVersion\":\"SPDX-2.3\"}},\"linux/arm64/v8\":{\"SPDX\":{\"name\":\"a\"}}}");
    assertEquals("r/app:1 2", render("{{.Name}} {{.Manifest.SchemaVersion}}", root, computed));
    assertEquals("{\"schemaVersion\":2,\"mediaType\":\"m\"}", render("{{json .Manifest}}", root, computed));
    assertEquals("{\"spdxVersion\":\"SPDX-2.3\"}", render("{{json (index .SBOM \"linux/amd64\").SPDX}}", root, computed));
    assertEquals("SPDX-2.3", render("{{ (index .SBOM \"linux/amd64\").SPDX.spdxVersion }}", root, computed));
    assertEquals("{\"SPDX\":{\"name\":\"a\"}}", render("{{json (index .SBOM \"linux/arm64/v8\")}}", root, computed));
    assertEquals("{\"SPDX\":{\"name\":\"a\"}}", render("{{index .SBOM \"linux/arm64/v8\"}}", root, computed));
    assertEquals("null", render("{{json (index .SBOM \"linux/s390x\")}}", root, computed), "Go's zero value");
  }

  @Test
  void escapesInTheTemplateTextOnly() throws Exception {
    String root = "{\"name\":\"a\\nb\",\"manifest\":{\"text\":\"line1\\nline2\"}}";
    assertEquals("{\"text\":\"line1\\nline2\"}\n", render("{{json .Manifest}}\\n", root, Map.of()));
    assertEquals("a\nb\t", render("{{.Name}}\\t", root, Map.of()));
  }

  @Test
  void computedFieldsAreAskedForOnce() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    GoTemplate t = GoTemplate.parse("{{json .Image}} {{.Image.architecture}}");
    assertEquals("{\"architecture\":\"arm64\"} arm64", t.render(JSON.readTree("{}"), f -> {
      if (!f.equals("Image")) {
        return null;
      }
      asked.incrementAndGet();
      return JSON.createObjectNode().put("architecture", "arm64");
    }));
    assertEquals(1, asked.get());
  }

  @Test
  void anythingElseIsRefusedNamingTheAction() {
    for (String action : List.of("range .Manifest.manifests", "println", "json .Name | upper", ".Name.x y",
        "index .SBOM linux", "if .Name", "len .Manifest", "$x := .Name")) {
      GoTemplate.Unsupported e = assertThrows(GoTemplate.Unsupported.class, () -> GoTemplate.parse("x {{" + action + "}} y"));
      assertEquals("--format: unsupported template action {{" + action + "}} (supported: {{.Field}}, {{json .Field}},"
          + " {{json (index .Field \"KEY\").Field}})", e.getMessage());
    }
  }

  @Test
  void aMissingFieldIsAnEvaluationError() throws Exception {
    UserError e = assertThrows(UserError.class, () -> render("{{.Manifest.Nope}}", "{\"manifest\":{}}", Map.of()));
    assertEquals("--format: can't evaluate field Nope in .Manifest.Nope", e.getMessage());
  }
}
