package dev.jbuild.registry;

import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * A TLS context that refuses to do TLS, for the client that only ever speaks plain HTTP: an
 * HttpClient always holds a context, and without one of its own it starts the JVM's default
 * (JSSE provider, trust store), which a build against a loopback registry never needs.
 */
final class PlainHttpOnly extends SSLContextSpi {
  static final SSLContext CONTEXT = new SSLContext(new PlainHttpOnly(), null, "plain-http-only") {};

  private PlainHttpOnly() {}

  private static UnsupportedOperationException refused() {
    return new UnsupportedOperationException("this HTTP client speaks plain HTTP only (https goes to another client)");
  }

  @Override
  protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) {
    throw refused();
  }

  @Override
  protected SSLSocketFactory engineGetSocketFactory() {
    throw refused();
  }

  @Override
  protected SSLServerSocketFactory engineGetServerSocketFactory() {
    throw refused();
  }

  @Override
  protected SSLEngine engineCreateSSLEngine() {
    throw refused();
  }

  @Override
  protected SSLEngine engineCreateSSLEngine(String host, int port) {
    throw refused();
  }

  @Override
  protected SSLSessionContext engineGetServerSessionContext() {
    throw refused();
  }

  @Override
  protected SSLSessionContext engineGetClientSessionContext() {
    throw refused();
  }
}
