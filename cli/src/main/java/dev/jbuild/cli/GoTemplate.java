package dev.jbuild.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of Go's text/template that {@code --format} values use: literal text, {@code {{.}}},
 * {@code {{.Field.Field}}} and {@code {{json .Field}}}. Field names are Go's ({@code .Manifest}),
 * looked up in JSON whose keys are Go's json tags ({@code manifest}); anything else is refused.
 */
final class GoTemplate {
  private static final Pattern ACTION = Pattern.compile("\\{\\{-?\\s*(.*?)\\s*-?}}");
  private static final Pattern PATH = Pattern.compile("\\.|(\\.[A-Za-z_][A-Za-z0-9_]*)+");
  private static final ObjectMapper JSON = new ObjectMapper();

  private GoTemplate() {}

  /**
   * @param root   the value of {@code .}
   * @param fields resolves a top-level field that is computed on demand (e.g. {@code Image}); null if unknown
   */
  static String render(String template, JsonNode root, Function<String, JsonNode> fields) throws UserError {
    StringBuilder out = new StringBuilder();
    Matcher m = ACTION.matcher(template);
    int at = 0;
    while (m.find()) {
      out.append(template, at, m.start());
      at = m.end();
      String action = m.group(1);
      boolean json = action.startsWith("json ");
      String path = json ? action.substring(5).strip() : action;
      if (!PATH.matcher(path).matches()) {
        throw new UserError("--format: unsupported template action {{" + action + "}} (supported: {{.Field}}, {{json .Field}})");
      }
      JsonNode value = lookup(root, path, fields);
      if (json) {
        try {
          out.append(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
          throw new UserError("--format: " + e.getMessage());
        }
      } else {
        out.append(value.isValueNode() ? value.asText() : value.toString());
      }
    }
    out.append(template.substring(at));
    return out.toString().replace("\\n", "\n").replace("\\t", "\t");
  }

  private static JsonNode lookup(JsonNode root, String path, Function<String, JsonNode> fields) throws UserError {
    if (path.equals(".")) {
      return root;
    }
    JsonNode node = root;
    boolean top = true;
    for (String field : path.substring(1).split("\\.")) {
      JsonNode next = top && fields.apply(field) != null ? fields.apply(field) : child(node, field);
      if (next == null) {
        throw new UserError("--format: can't evaluate field " + field + " in " + path);
      }
      node = next;
      top = false;
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
