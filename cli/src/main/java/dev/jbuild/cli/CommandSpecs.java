package dev.jbuild.cli;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * picocli specs written in code, for what every build parses: the {@code jbuild} root, {@code build}
 * and the flag groups it shares with {@code bake}. Why not annotations there: reading them makes the
 * JDK generate a proxy class per annotation type and picocli reflect over every field, ≈ 40 ms of a
 * build's start-up that no class-data archive or AOT cache keeps (docs/benchmarks.md). The other
 * commands keep their annotations. Options bind to the command's fields through {@code get}/{@code set}
 * and have no initial value of picocli's: a field keeps what it was initialised with until a flag or
 * a default value sets it.
 */
final class CommandSpecs {
  private CommandSpecs() {}

  /** A command over {@code userObject} (a Runnable or Callable), its annotations not read. */
  static CommandSpec command(Object userObject, String name, String description) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection(userObject).name(name);
    spec.usageMessage().description(description);
    return spec;
  }

  /**
   * {@code -h/--help} and {@code -V/--version}, as {@code mixinStandardHelpOptions} adds them (last,
   * under the same mixin name), without picocli reflecting over its own annotated mixin.
   */
  static CommandSpec withStandardHelpOptions(CommandSpec spec) {
    CommandSpec help = CommandSpec.create();
    help.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).type(boolean.class)
        .descriptionKey("mixinStandardHelpOptions.help").description("Show this help message and exit.").build());
    help.addOption(OptionSpec.builder("-V", "--version").versionHelp(true).type(boolean.class)
        .descriptionKey("mixinStandardHelpOptions.version").description("Print version information and exit.").build());
    return spec.addMixin("mixinStandardHelpOptions", help);
  }

  /** A mixin (a group of options that several commands add). */
  static CommandSpec mixin(OptionSpec... options) {
    CommandSpec spec = CommandSpec.create();
    for (OptionSpec o : options) {
      spec.addOption(o);
    }
    return spec;
  }

  /** An option with one value of {@code type} (a boolean is a flag without a value). */
  static <T> OptionSpec.Builder option(Class<T> type, Supplier<T> get, Consumer<T> set, String... names) {
    return OptionSpec.builder(names).type(type).getter(getter(get)).setter(setter(set)).hasInitialValue(false);
  }

  /** A repeatable option whose values collect in a list of strings. */
  static OptionSpec.Builder strings(Supplier<List<String>> get, Consumer<List<String>> set, String... names) {
    return OptionSpec.builder(names).type(List.class).auxiliaryTypes(String.class)
        .getter(getter(get)).setter(setter(set)).hasInitialValue(false);
  }

  /** The positional parameter at {@code index}: one string, required. */
  static PositionalParamSpec.Builder positional(String index, Supplier<String> get, Consumer<String> set) {
    return PositionalParamSpec.builder().index(index).arity("1").required(true).type(String.class).getter(getter(get)).setter(setter(set))
        .hasInitialValue(false);
  }

  private static <V> IGetter getter(Supplier<V> get) {
    return new IGetter() {
      @Override
      @SuppressWarnings("unchecked")
      public <T> T get() {
        return (T) get.get();
      }
    };
  }

  private static <V> ISetter setter(Consumer<V> set) {
    return new ISetter() {
      @Override
      @SuppressWarnings("unchecked")
      public <T> T set(T value) {
        set.accept((V) value);
        return null;
      }
    };
  }
}
