package dev.jbuild.parser;

import java.time.Duration;
import java.util.Optional;

/**
 * HEALTHCHECK's flags, parsed once with {@link GoDuration} (BuildKit does not expand them).
 * Empty means "not written": the image config then omits the field (Docker's default applies).
 */
public record HealthcheckFlags(Optional<Duration> interval, Optional<Duration> timeout,
    Optional<Duration> startPeriod, Optional<Duration> startInterval, Optional<Integer> retries) {
  public static final HealthcheckFlags NONE = new HealthcheckFlags(Optional.empty(),
      Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
}
