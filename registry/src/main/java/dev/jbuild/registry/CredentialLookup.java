package dev.jbuild.registry;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.CredentialRetriever;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import com.google.cloud.tools.jib.registry.credentials.CredentialRetrievalException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Finds credentials for a registry the way the docker CLI does, through jib-core: the Docker
 * config's {@code credHelpers}, {@code credsStore} and {@code auths}, then the well-known helpers
 * (gcr, ecr). Answers are cached per registry because helpers are external processes.
 */
final class CredentialLookup {
  /**
   * Created on first use: System.getLogger finds its LoggerFinder with a ServiceLoader, which opens
   * every jar of the class path (≈ 30 ms), and a cached build asks no registry anything.
   */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(CredentialLookup.class.getName());
  }

  private final boolean enabled;
  private final Path dockerConfigFile;
  private final Map<String, Optional<Credentials>> cache = new ConcurrentHashMap<>();

  CredentialLookup(RegistryConfig config) {
    this.enabled = config.useDockerConfig();
    this.dockerConfigFile = config.effectiveDockerConfigFile();
  }

  /** Where credentials come from, for messages. */
  String sourceDescription() {
    return dockerConfigFile.toString();
  }

  /**
   * @param registry the registry name as in references ({@code docker.io}, {@code host:port})
   */
  Optional<Credentials> forRegistry(String registry) throws RegistryException {
    if (!enabled) {
      return Optional.empty();
    }
    Optional<Credentials> cached = cache.get(registry);
    if (cached != null) {
      return cached;
    }
    Optional<Credentials> found = retrieve(registry);
    cache.put(registry, found);
    return found;
  }

  private Optional<Credentials> retrieve(String registry) throws RegistryException {
    Consumer<LogEvent> log = e -> Log.LOG.log(System.Logger.Level.DEBUG, "credentials for {0}: {1}", registry, e.getMessage());
    // jib wants an image reference only to know the registry; the repository is irrelevant here.
    CredentialRetrieverFactory factory = CredentialRetrieverFactory.forImage(
        com.google.cloud.tools.jib.api.ImageReference.of(registry, "credential-lookup", null), log);
    List<CredentialRetriever> retrievers = List.of(
        factory.dockerConfig(dockerConfigFile), factory.wellKnownCredentialHelpers());
    for (CredentialRetriever retriever : retrievers) {
      try {
        Optional<Credential> c = retriever.retrieve();
        if (c.isPresent()) {
          return Optional.of(new Credentials(c.get().getUsername(), c.get().getPassword(), dockerConfigFile.toString()));
        }
      } catch (CredentialRetrievalException e) {
        throw new RegistryException(RegistryException.Kind.UNAUTHORIZED,
            "cannot get credentials for " + registry + " (from " + dockerConfigFile + "): " + e.getMessage(), e);
      } catch (RuntimeException e) {
        // jib throws unchecked exceptions on a malformed config.json
        throw new RegistryException(RegistryException.Kind.UNAUTHORIZED,
            "cannot read credentials for " + registry + " from " + dockerConfigFile + ": " + e.getMessage(), e);
      }
    }
    return Optional.empty();
  }
}
