package dev.jbuild.parser;

import java.util.Locale;

/** The instructions of the Dockerfile reference. */
enum Keyword {
  ADD, ARG, CMD, COPY, ENTRYPOINT, ENV, EXPOSE, FROM, HEALTHCHECK, LABEL, MAINTAINER, ONBUILD,
  RUN, SHELL, STOPSIGNAL, USER, VOLUME, WORKDIR;

  /** The keyword a word names, case-insensitively, or null. */
  static Keyword of(String word) {
    if (word.length() < 3 || word.length() > 11) {
      return null;
    }
    try {
      return valueOf(word.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
