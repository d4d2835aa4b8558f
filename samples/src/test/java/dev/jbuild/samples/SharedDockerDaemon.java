package dev.jbuild.samples;

import dev.jbuild.testkit.DockerDaemon;
import dev.jbuild.testkit.RegistryExtension;
import dev.jbuild.testkit.TestRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One private dockerd (BuildKit reference peer) per test run, shared by the test classes that
 * compare with it and stopped when the run ends. Its data root lives under the user cache dir,
 * so pulled base layers and BuildKit's cache survive between runs. It may pull over http from the
 * run's {@link TestRegistry} (the one {@link RegistryExtension} gives out).
 */
final class SharedDockerDaemon implements ParameterResolver {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SharedDockerDaemon.class);

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
    return p.getParameter().getType() == DockerDaemon.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext c) {
    TestRegistry registry = (TestRegistry) new RegistryExtension().resolveParameter(p, c);
    return c.getRoot().getStore(NS).getOrComputeIfAbsent("dockerd", k -> new Closing(
        DockerDaemon.start(dataDir(), registry.hostPort())), Closing.class).daemon;
  }

  private static Path dataDir() {
    String cache = System.getenv("XDG_CACHE_HOME");
    Path base = cache != null ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("jbuild-testkit/dockerd-peer");
  }

  private record Closing(DockerDaemon daemon) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      daemon.close();
    }
  }
}
