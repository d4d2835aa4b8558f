package dev.jbuild.solver;

import dev.jbuild.progress.ProgressListener;
import java.util.concurrent.ExecutorService;

/**
 * What one executing step may use: the worker, the build's shared downloaders (http, git) and thread pool,
 * and its vertex number for progress events.
 */
record StepContext(Worker worker, HttpFetcher http, GitFetcher git, ExecutorService pool, ProgressListener listener,
    int vertex) {}
