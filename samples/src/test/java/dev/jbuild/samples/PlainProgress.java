package dev.jbuild.samples;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads buildx-style plain progress: for every step name, how it ended (CACHED, DONE or ERROR). */
final class PlainProgress {
  private static final Pattern LINE = Pattern.compile("^#(\\d+) (.*)$");

  private PlainProgress() {}

  static Map<String, String> outcomes(String output) {
    Map<Integer, String> names = new LinkedHashMap<>();
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : output.split("\n")) {
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      int n = Integer.parseInt(m.group(1));
      String rest = m.group(2);
      if (!names.containsKey(n)) {
        names.put(n, rest);
      } else if (rest.equals("CACHED") || rest.startsWith("DONE") || rest.startsWith("ERROR")) {
        out.put(names.get(n), rest.split(" ")[0].replace(":", ""));
      }
    }
    return out;
  }
}
