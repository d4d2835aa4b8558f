package dev.jbuild.solver;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code FROM scratch}: the empty filesystem, nothing to run or record. */
final class ScratchHandler implements OpHandler {
  @Override
  public Map<String, Object> cacheMap(KeyInputs keys) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("op", "scratch");
    return d;
  }

  @Override
  public FsState exec(List<FsState> inputs, StepContext step) {
    return FsState.EMPTY;
  }

  @Override
  public Optional<FsState> alreadyAvailable(Worker worker) {
    return Optional.of(FsState.EMPTY);
  }

  @Override
  public boolean recorded() {
    return false;
  }
}
