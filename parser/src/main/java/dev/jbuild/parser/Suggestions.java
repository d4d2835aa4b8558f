package dev.jbuild.parser;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean …?" by edit distance (adjacent transpositions count as one edit). */
final class Suggestions {
  private Suggestions() {}

  /** The closest option within a third of the word's length (at least 1), or null. */
  static String closest(String word, Collection<String> options) {
    String w = word.toLowerCase(Locale.ROOT);
    int limit = Math.max(1, w.length() / 3);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String option : options) {
      int d = distance(w, option.toLowerCase(Locale.ROOT));
      if (d <= limit && d < bestDistance) {
        best = option;
        bestDistance = d;
      }
    }
    return best;
  }

  /** " (did you mean X?)" or the empty string. */
  static String hint(String word, Collection<String> options) {
    String s = closest(word, options);
    return s == null ? "" : " (did you mean " + s + "?)";
  }

  /** Optimal string alignment distance. */
  static int distance(String a, String b) {
    int n = a.length();
    int m = b.length();
    if (Math.abs(n - m) > 3) {
      return Math.abs(n - m);
    }
    int[][] d = new int[n + 1][m + 1];
    for (int i = 0; i <= n; i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= m; j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= n; i++) {
      for (int j = 1; j <= m; j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[n][m];
  }
}
