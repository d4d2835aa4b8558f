package dev.jbuild.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: {@code @ExtendWith(RegistryExtension.class)} and a {@link TestRegistry}
 * parameter give a test (class) a real registry holding the busybox base image. One registry
 * is shared by all tests of the run and stopped when the run ends.
 */
public final class RegistryExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RegistryExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
    return p.getParameter().getType() == TestRegistry.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext c) {
    return shared(c);
  }

  /** The run's registry, started on first use (for other extensions that need it). */
  public static TestRegistry shared(ExtensionContext c) {
    return c.getRoot().getStore(NS)
        .getOrComputeIfAbsent("registry", k -> new Closing(TestRegistry.start()), Closing.class).registry;
  }

  /** Stops the registry when the root store is closed at the end of the run. */
  private record Closing(TestRegistry registry) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      registry.close();
    }
  }
}
