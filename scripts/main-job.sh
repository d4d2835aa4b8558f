#!/usr/bin/env bash
# The main job: installs prerequisites, starts a registry on 127.0.0.1:5000 with the busybox base
# image (built from Debian packages), builds samples/hello for linux/amd64 and linux/arm64,
# pushes it as a multi-arch OCI index, and prints the index digest. Offline apart from apt.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prereqs.sh
if ! curl -fsS http://127.0.0.1:5000/v2/ >/dev/null 2>&1; then
  mkdir -p /var/lib/jbuild-demo-registry
  cat > /var/lib/jbuild-demo-registry/config.yml <<'YML'
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: /var/lib/jbuild-demo-registry/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:5000
YML
  nohup docker-registry serve /var/lib/jbuild-demo-registry/config.yml > /var/lib/jbuild-demo-registry/log 2>&1 &
  for _ in $(seq 100); do curl -fsS http://127.0.0.1:5000/v2/ >/dev/null 2>&1 && break; sleep 0.1; done
fi
bash scripts/base-images.sh --push 127.0.0.1:5000 >/dev/null
./jbuild build --platform linux/amd64,linux/arm64 \
  --build-arg BASE_IMAGE=127.0.0.1:5000/busybox:latest \
  --build-arg GIT_COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  --build-arg BUILD_DATE="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  --progress=plain --iidfile /tmp/jbuild-hello.digest \
  -t 127.0.0.1:5000/hello:latest --push samples/hello
echo "index digest: $(cat /tmp/jbuild-hello.digest)"
