package dev.jbuild.parser;

import java.util.Locale;

/** The BuildKit build-check rules that can be decided from the Dockerfile alone. */
enum LintRule {
  STAGE_NAME_CASING("StageNameCasing", "Stage names should be lowercase"),
  FROM_AS_CASING("FromAsCasing", "The 'as' keyword should match the case of the 'from' keyword"),
  NO_EMPTY_CONTINUATION("NoEmptyContinuation",
      "Empty continuation lines will become errors in a future release"),
  CONSISTENT_INSTRUCTION_CASING("ConsistentInstructionCasing",
      "All commands within the Dockerfile should use the same casing (either upper or lower)"),
  DUPLICATE_STAGE_NAME("DuplicateStageName", "Stage names should be unique"),
  RESERVED_STAGE_NAME("ReservedStageName", "Reserved words should not be used as stage names"),
  JSON_ARGS_RECOMMENDED("JSONArgsRecommended",
      "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals"),
  MAINTAINER_DEPRECATED("MaintainerDeprecated",
      "The MAINTAINER instruction is deprecated, use a label instead to define an image author"),
  UNDEFINED_ARG_IN_FROM("UndefinedArgInFrom", "FROM command must use declared ARGs"),
  WORKDIR_RELATIVE_PATH("WorkdirRelativePath",
      "Relative workdir without an absolute workdir declared within the build can have unexpected "
          + "results if the base image changes"),
  UNDEFINED_VAR("UndefinedVar", "Variables should be defined before their use"),
  MULTIPLE_INSTRUCTIONS_DISALLOWED("MultipleInstructionsDisallowed",
      "Multiple instructions of the same type should not be used in the same stage"),
  LEGACY_KEY_VALUE_FORMAT("LegacyKeyValueFormat",
      "Legacy key/value format with whitespace separator should not be used"),
  INVALID_DEFAULT_ARG_IN_FROM("InvalidDefaultArgInFrom",
      "Default value for global ARG results in an empty or invalid base image name"),
  FROM_PLATFORM_FLAG_CONST_DISALLOWED("FromPlatformFlagConstDisallowed",
      "FROM --platform flag should not use a constant value"),
  REDUNDANT_TARGET_PLATFORM("RedundantTargetPlatform",
      "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior"),
  SECRETS_USED_IN_ARG_OR_ENV("SecretsUsedInArgOrEnv",
      "Sensitive data should not be used in the ARG or ENV commands"),
  EXPOSE_PROTO_CASING("ExposeProtoCasing", "Protocol in EXPOSE instruction should be lowercase"),
  EXPOSE_INVALID_FORMAT("ExposeInvalidFormat",
      "IP address and host-port mapping should not be used in EXPOSE instruction. "
          + "This will become an error in a future release");

  final String ruleName;
  final String description;

  LintRule(String ruleName, String description) {
    this.ruleName = ruleName;
    this.description = description;
  }

  /** BuildKit's short link to the rule's page, e.g. {@code …/rule/json-args-recommended/}. */
  String url() {
    StringBuilder slug = new StringBuilder();
    for (int i = 0; i < ruleName.length(); i++) {
      char c = ruleName.charAt(i);
      boolean wordStart = i > 0 && Character.isUpperCase(c)
          && (Character.isLowerCase(ruleName.charAt(i - 1))
              || i + 1 < ruleName.length() && Character.isLowerCase(ruleName.charAt(i + 1)));
      if (wordStart) {
        slug.append('-');
      }
      slug.append(c);
    }
    return "https://docs.docker.com/go/dockerfile/rule/" + slug.toString().toLowerCase(Locale.ROOT) + "/";
  }

  LintWarning warn(SourceRange range, String message) {
    return new LintWarning(ruleName, message, range, description, url());
  }

  static LintRule named(String name) {
    for (LintRule r : values()) {
      if (r.ruleName.equals(name)) {
        return r;
      }
    }
    return null;
  }
}
