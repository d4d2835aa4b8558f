package dev.jbuild.cli.bake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subset of HCL that bake files use, read into the same maps as a bake JSON file:
 * {@code variable "N" { default = … }}, {@code group "N" { targets = […] }} and
 * {@code target "N" { key = value }} blocks; values are strings (with {@code ${VAR}}), numbers,
 * booleans, lists and objects; {@code #}, {@code //} and {@code /* *}{@code /} comments. Functions and
 * other expressions are refused with their line and column.
 */
final class HclReader {
  private final String file;
  private final String text;
  private int pos;
  private int line = 1;
  private int col = 1;

  private HclReader(String file, String text) {
    this.file = file;
    this.text = text;
  }

  /** {"variable": {...}, "group": {...}, "target": {...}} */
  static Map<String, Object> read(String file, String text) {
    HclReader r = new HclReader(file, text);
    Map<String, Object> root = new LinkedHashMap<>();
    r.skip();
    while (r.pos < r.text.length()) {
      int l = r.line;
      int c = r.col;
      String kind = r.identifier();
      r.skip();
      if (r.peek() == '=') {
        throw r.error(l, c, "top-level attributes are not supported by jbuild's HCL subset (use a variable block)");
      }
      if (!kind.equals("variable") && !kind.equals("group") && !kind.equals("target") && !kind.equals("function")) {
        throw r.error(l, c, "unknown block \"" + kind + "\" (expected variable, group or target)");
      }
      if (kind.equals("function")) {
        throw r.error(l, c, "function blocks are not supported by jbuild's HCL subset");
      }
      String label = r.string();
      r.skip();
      Map<String, Object> body = r.object();
      @SuppressWarnings("unchecked")
      Map<String, Object> blocks = (Map<String, Object>) root.computeIfAbsent(kind, k -> new LinkedHashMap<String, Object>());
      blocks.put(label, body);
      r.skip();
    }
    return root;
  }

  private Map<String, Object> object() {
    expect('{');
    Map<String, Object> out = new LinkedHashMap<>();
    skip();
    while (peek() != '}') {
      int l = line;
      int c = col;
      String key = peek() == '"' ? string() : identifier();
      skip();
      if (peek() == '{') {
        throw error(l, c, "nested block \"" + key + "\" is not supported by jbuild's HCL subset");
      }
      if (peek() != '=' && peek() != ':') {
        throw error(line, col, "expected = after " + key);
      }
      next();
      skip();
      out.put(key, value());
      skip();
      if (peek() == ',') {
        next();
        skip();
      }
    }
    expect('}');
    return out;
  }

  private Object value() {
    char ch = peek();
    if (ch == '"') {
      return string();
    }
    if (ch == '[') {
      next();
      List<Object> list = new ArrayList<>();
      skip();
      while (peek() != ']') {
        list.add(value());
        skip();
        if (peek() == ',') {
          next();
          skip();
        }
      }
      next();
      return list;
    }
    if (ch == '{') {
      return object();
    }
    int l = line;
    int c = col;
    if (ch == '-' || Character.isDigit(ch)) {
      StringBuilder sb = new StringBuilder();
      while (pos < text.length() && (Character.isDigit(peek()) || peek() == '.' || peek() == '-')) {
        sb.append(next());
      }
      return sb.toString();
    }
    String word = identifier();
    skip();
    if (peek() == '(') {
      throw error(l, c, "function calls (" + word + "(…)) are not supported by jbuild's HCL subset");
    }
    return switch (word) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      case "null" -> null;
      default -> throw error(l, c, "unsupported expression \"" + word + "\" (write \"${" + word + "}\")");
    };
  }

  private String string() {
    int l = line;
    int c = col;
    if (peek() != '"') {
      throw error(l, c, "expected a quoted string");
    }
    next();
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= text.length() || peek() == '\n') {
        throw error(l, c, "unterminated string");
      }
      char ch = next();
      if (ch == '"') {
        return sb.toString();
      }
      if (ch == '\\' && pos < text.length()) {
        char e = next();
        sb.append(switch (e) {
          case 'n' -> '\n';
          case 't' -> '\t';
          default -> e;
        });
      } else {
        sb.append(ch);
      }
    }
  }

  private String identifier() {
    int l = line;
    int c = col;
    StringBuilder sb = new StringBuilder();
    while (pos < text.length() && (Character.isLetterOrDigit(peek()) || peek() == '_' || peek() == '-')) {
      sb.append(next());
    }
    if (sb.length() == 0) {
      throw error(l, c, "unexpected " + (pos < text.length() ? "'" + peek() + "'" : "end of file"));
    }
    return sb.toString();
  }

  /** Whitespace, newlines and comments. */
  private void skip() {
    while (pos < text.length()) {
      char ch = peek();
      if (Character.isWhitespace(ch)) {
        next();
      } else if (ch == '#' || text.startsWith("//", pos)) {
        while (pos < text.length() && peek() != '\n') {
          next();
        }
      } else if (text.startsWith("/*", pos)) {
        int end = text.indexOf("*/", pos + 2);
        int stop = end < 0 ? text.length() : end + 2;
        while (pos < stop) {
          next();
        }
      } else {
        return;
      }
    }
  }

  private void expect(char ch) {
    if (peek() != ch) {
      throw error(line, col, "expected '" + ch + "'" + (pos < text.length() ? " but found '" + peek() + "'" : ""));
    }
    next();
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private char next() {
    char ch = text.charAt(pos++);
    if (ch == '\n') {
      line++;
      col = 1;
    } else {
      col++;
    }
    return ch;
  }

  private IllegalArgumentException error(int l, int c, String message) {
    return new IllegalArgumentException(file + ":" + l + ":" + c + ": " + message);
  }
}
