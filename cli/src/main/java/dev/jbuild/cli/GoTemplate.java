package dev.jbuild.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of Go's text/template that {@code --format} values use: literal text, {@code {{.}}},
 * {@code {{.Field.Field}}}, {@code {{json .Field}}} and map lookups as buildx's docs write them,
 * {@code {{json (index .SBOM "linux/amd64").SPDX}}} or {@code {{index .Image "linux/amd64"}}}.
 * Field names are Go's ({@code .Manifest}), looked up in JSON whose keys are Go's json tags
 * ({@code manifest}). Anything else is refused before any work, naming the action.
 */
final class GoTemplate {
  private static final String FIELDS = "((?:\\.[A-Za-z_][A-Za-z0-9_]*)*)";
  private static final String PATH = "(\\.|(?:\\.[A-Za-z_][A-Za-z0-9_]*)+)";
  private static final Pattern ACTION = Pattern.compile("\\{\\{-?\\s*(.*?)\\s*-?}}");
  private static final Pattern PLAIN = Pattern.compile(PATH);
  private static final Pattern PAREN_INDEX = Pattern.compile("\\(index\\s+" + PATH + "\\s+\"([^\"\\\\]*)\"\\)" + FIELDS);
  private static final Pattern BARE_INDEX = Pattern.compile("index\\s+" + PATH + "\\s+\"([^\"\\\\]*)\"");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A template action jbuild does not implement (a Go function, a pipeline, range, if …). */
  static final class Unsupported extends Exception {
    Unsupported(String action) {
      super("--format: unsupported template action {{" + action + "}} (supported: {{.Field}}, {{json .Field}},"
          + " {{json (index .Field \"KEY\").Field}})");
    }
  }

  /** {@code .A.B}, optionally then {@code ["KEY"]} and {@code .C.D}: the one expression shape supported. */
  private record Expr(String path, Optional<String> key, String after) {}

  private sealed interface Part permits Text, Action {}

  private record Text(String text) implements Part {}

  private record Action(boolean json, Expr expr) implements Part {}

  private final List<Part> parts;

  private GoTemplate(List<Part> parts) {
    this.parts = List.copyOf(parts);
  }

  /** Checks the whole template; nothing is evaluated yet. */
  static GoTemplate parse(String template) throws Unsupported {
    List<Part> parts = new ArrayList<>();
    Matcher m = ACTION.matcher(template);
    int at = 0;
    while (m.find()) {
      parts.add(new Text(template.substring(at, m.start())));
      at = m.end();
      String action = m.group(1);
      boolean json = action.startsWith("json ");
      parts.add(new Action(json, expr(json ? action.substring(5).strip() : action, action)));
    }
    parts.add(new Text(template.substring(at)));
    return new GoTemplate(parts);
  }

  private static Expr expr(String s, String action) throws Unsupported {
    Matcher m;
    if ((m = PLAIN.matcher(s)).matches()) {
      return new Expr(m.group(1), Optional.empty(), "");
    }
    if ((m = PAREN_INDEX.matcher(s)).matches()) {
      return new Expr(m.group(1), Optional.of(m.group(2)), m.group(3));
    }
    if ((m = BARE_INDEX.matcher(s)).matches()) {
      return new Expr(m.group(1), Optional.of(m.group(2)), "");
    }
    throw new Unsupported(action);
  }

  /**
   * @param root   the value of {@code .}
   * @param fields resolves a top-level field that is computed on demand (e.g. {@code Image}); null if unknown
   */
  String render(JsonNode root, Function<String, JsonNode> fields) throws UserError {
    Map<String, Optional<JsonNode>> computed = new HashMap<>(); // each costs registry requests: once
    Function<String, JsonNode> once = f -> computed.computeIfAbsent(f, k -> Optional.ofNullable(fields.apply(k))).orElse(null);
    StringBuilder out = new StringBuilder();
    for (Part p : parts) {
      if (p instanceof Text t) {
        // escapes in the template's own text only: a value's JSON keeps its "\n"
        out.append(t.text().replace("\\n", "\n").replace("\\t", "\t"));
      } else if (p instanceof Action a) {
        JsonNode value = evaluate(a.expr(), root, once);
        if (a.json()) {
          try {
            out.append(JSON.writeValueAsString(value));
          } catch (JsonProcessingException e) {
            throw new UserError("--format: " + e.getMessage());
          }
        } else {
          out.append(value.isValueNode() ? value.asText() : value.toString());
        }
      }
    }
    return out.toString();
  }

  private static JsonNode evaluate(Expr e, JsonNode root, Function<String, JsonNode> fields) throws UserError {
    JsonNode node = lookup(root, e.path(), fields);
    if (e.key().isEmpty()) {
      return node;
    }
    String key = e.key().get();
    if (!node.isObject()) {
      throw new UserError("--format: error calling index: cannot index " + e.path() + " with \"" + key + "\"");
    }
    // Go's index of a missing map key gives the zero value, which json prints as null
    JsonNode value = node.has(key) ? node.get(key) : JSON.nullNode();
    return e.after().isEmpty() || value.isNull() ? value : walk(value, e.after(), e.after());
  }

  private static JsonNode lookup(JsonNode root, String path, Function<String, JsonNode> fields) throws UserError {
    if (path.equals(".")) {
      return root;
    }
    String first = path.substring(1).split("\\.")[0];
    JsonNode computed = fields.apply(first);
    if (computed == null) {
      return walk(root, path, path);
    }
    String rest = path.substring(1 + first.length());
    return rest.isEmpty() ? computed : walk(computed, rest, path);
  }

  private static JsonNode walk(JsonNode node, String fieldsPath, String whole) throws UserError {
    for (String field : fieldsPath.substring(1).split("\\.")) {
      JsonNode next = child(node, field);
      if (next == null) {
        throw new UserError("--format: can't evaluate field " + field + " in " + whole);
      }
      node = next;
    }
    return node;
  }

  /** Go's json tags are the field name with a lower-case first letter, or the name itself. */
  private static JsonNode child(JsonNode node, String field) {
    if (node.has(field)) {
      return node.get(field);
    }
    String tag = Character.toLowerCase(field.charAt(0)) + field.substring(1);
    return node.has(tag) ? node.get(tag) : null;
  }
}
