#!/usr/bin/env bash
# What the seed's GitHub Actions deploy step does: take the current date and commit and inject
# them with --build-arg, then build for both platforms and push.
#   samples/ci-labels/deploy.sh REGISTRY/IMAGE:TAG [jbuild build options…]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
image=${1:?usage: deploy.sh REGISTRY/IMAGE:TAG [jbuild build options]}; shift
build_date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
git_commit=$(git -C "$here" rev-parse HEAD)
exec "${JBUILD:-$here/../../jbuild}" build --platform linux/amd64,linux/arm64 \
  --build-arg BUILD_DATE="$build_date" --build-arg GIT_COMMIT="$git_commit" \
  -t "$image" --push "$@" "$here"
