#!/usr/bin/env bash
# Builds the "realistic" base images the samples' unmodified Dockerfiles name (node:16-alpine,
# node:18-alpine, python:3.11.1-slim, golang:1.15-alpine3.12, golang:1.19) for linux/amd64 and
# linux/arm64, offline from Docker Hub: each is a Debian bookworm `mmdebstrap --variant=minbase`
# root with the packages the samples need, as a one-layer OCI image; every tag is a two-platform
# index. What differs from the real images and why: docs/realistic-bases.md.
#
# Built once and cached under the user cache dir in two parts: the root filesystems (the slow
# part, keyed by package sets, suite, mmdebstrap options, hooks and the function that runs it) and
# the images assembled from them (keyed by that plus tags, image settings, fixups, the assembly
# function and format version). Package versions follow the Debian mirror
# at build time (no snapshot is reachable offline); SOURCE_DATE_EPOCH fixes every timestamp.
#
#   scripts/realistic-bases.sh                  -> prints the cache dir (one OCI layout per rootfs set)
#   scripts/realistic-bases.sh --push HOST:PORT  also copies every tag to HOST:PORT/library/NAME:TAG
#   scripts/realistic-bases.sh --tags            prints the NAME:TAG list
set -euo pipefail

# rootfs sets: name -> Debian packages on top of minbase
declare -A packages=(
  [node]="ca-certificates nodejs npm"
  # poetry and alembic come from Debian because PyPI is unreachable here (see the docs);
  # netcat-openbsd: what the fixup's transitional `netcat` package depends on (see fix_python).
  [python]="ca-certificates python3 python3-pip python3-venv python-is-python3 python3-poetry alembic netcat-openbsd"
  [golang]="ca-certificates golang-go"
)
# tags: NAME:TAG -> "set|extra Env entries (space separated)|Cmd JSON"
declare -A images=(
  ["node:16-alpine"]="node||[\"node\"]"
  ["node:18-alpine"]="node||[\"node\"]"
  ["python:3.11.1-slim"]="python|LANG=C.UTF-8|[\"python3\"]"
  # Go 1.15 built a directory without go.mod (GOPATH mode); Go 1.19 does so with GO111MODULE=auto.
  ["golang:1.15-alpine3.12"]="golang|GOPATH=/go GO111MODULE=auto|[\"bash\"]"
  ["golang:1.19"]="golang|GOPATH=/go|[\"bash\"]"
)
# fixups: set -> "files to take from the root (tar wildcards)|function run on them in $1": a second
# layer with what the function leaves there.
declare -A fixups=(
  [python]="./usr/lib/python3/dist-packages/poetry-*.dist-info/METADATA|fix_python"
)
fix_python() {
  local root=$1
  # Debian's poetry 1.3.2 runs with Debian's dulwich 0.21 and without poetry-plugin-export and
  # trove-classifiers, but its metadata still asks for them, so `pip install poetry` would go to PyPI.
  sed -i -e '/^Requires-Dist: poetry-plugin-export/d' -e '/^Requires-Dist: trove-classifiers/d' \
    -e 's/^Requires-Dist: dulwich (.*)$/Requires-Dist: dulwich (>=0.20.46)/' \
    "$root"/usr/lib/python3/dist-packages/poetry-*.dist-info/METADATA
  # bookworm dropped bullseye's transitional `netcat` package (the real python:3.11.1-slim is
  # bullseye): a local apt source brings it back, depending on netcat-openbsd as bullseye's did.
  local repo="$root/var/local/jbuild-apt" pkg; pkg=$(mktemp -d)
  mkdir -p "$pkg/DEBIAN" "$repo" "$root/etc/apt/sources.list.d"
  printf '%s\n' "Package: netcat" "Version: 1.10-48~jbuild1" "Architecture: all" "Maintainer: jbuild <jbuild@localhost>" \
    "Depends: netcat-openbsd" "Section: oldlibs" "Priority: optional" \
    "Description: transitional package (as in Debian bullseye) for netcat-openbsd" > "$pkg/DEBIAN/control"
  SOURCE_DATE_EPOCH=$epoch dpkg-deb --root-owner-group -Zgzip --build "$pkg" "$repo/netcat_1.10-48~jbuild1_all.deb" >/dev/null
  rm -rf "$pkg"
  { dpkg-deb -f "$repo/netcat_1.10-48~jbuild1_all.deb"
    echo "Filename: ./netcat_1.10-48~jbuild1_all.deb"
    echo "Size: $(stat -c %s "$repo/netcat_1.10-48~jbuild1_all.deb")"
    echo "SHA256: $(sha256sum "$repo/netcat_1.10-48~jbuild1_all.deb" | cut -d' ' -f1)"; } > "$repo/Packages"
  echo "deb [trusted=yes] file:/var/local/jbuild-apt ./" > "$root/etc/apt/sources.list.d/jbuild-transitional.list"
}
archs=(amd64 arm64)
epoch=1704067200 # 2024-01-01T00:00:00Z
suite=bookworm
format=2 # bump when the image assembly below changes
hooks=(
  # the real python images have their own python, which pip may install into (no PEP 668 marker)
  'rm -f "$1"/usr/lib/python3*/EXTERNALLY-MANAGED "$1"/etc/machine-id'
  'if [ -x "$1"/usr/bin/go ]; then mkdir -p "$1"/go/bin "$1"/go/src && chmod -R 777 "$1"/go; fi'
)
# what every mmdebstrap run gets: no recommends, no docs/man/locales (as the slim images)
mmopts=(--quiet --variant=minbase --aptopt='Acquire::Retries "3"' --aptopt='APT::Install-Recommends "false"'
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*'
  --dpkgopt='path-exclude=/usr/share/locale/*' --skip=output/dev)
mirror="${JBUILD_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
security="${JBUILD_DEBIAN_SECURITY:-http://deb.debian.org/debian-security}"

if [ "${1:-}" = "--tags" ]; then printf '%s\n' "${!images[@]}" | sort; exit 0; fi

need() { command -v "$1" >/dev/null 2>&1 || { echo "realistic-bases.sh: $1 is missing: install it with: apt-get install -y $2" >&2; exit 2; }; }
need mmdebstrap mmdebstrap; need dpkg-deb dpkg; need sha256sum coreutils; need gzip gzip; need tar tar
for a in "${archs[@]}"; do
  if [ "$a" != "$(dpkg --print-architecture)" ] && ! [ -e "/proc/sys/fs/binfmt_misc/qemu-$( [ "$a" = arm64 ] && echo aarch64 || echo x86_64)" ]; then
    echo "realistic-bases.sh: no binfmt_misc handler for $a: run scripts/setup-emulation.sh (needs qemu-user-static)" >&2; exit 2
  fi
done


zip() { gzip -n -1 "$1"; } # fast: the layers are read from a local registry

# One OCI layout per rootfs set: the layer per arch is shared by all tags of the set.
work=""
trap '[ -z "$work" ] || rm -rf "$work"' EXIT

# The root filesystem of one set for one architecture, as a gzip layer and its diff id.
build_rootfs() {
  local set=$1 a=$2 tmp start=$SECONDS
  [ -f "$roots/$set-$a.diffid" ] && return 0
  mkdir -p "$roots"
  tmp=$(mktemp -d "$roots/.work-$set-$a.XXXXXX")
  echo "realistic-bases.sh: $(date -u +%T) mmdebstrap $suite $set for $a (${packages[$set]})" >&2
  SOURCE_DATE_EPOCH=$epoch mmdebstrap "${mmopts[@]}" --architectures="$a" \
    --include="$(echo "${packages[$set]}" | tr ' ' ',')" \
    --customize-hook="${hooks[0]}" --customize-hook="${hooks[1]}" \
    --format=tar "$suite" "$tmp/root.tar" \
    "deb $mirror $suite main" "deb $mirror $suite-updates main" "deb $security $suite-security main" \
    || { rm -rf "$tmp"; echo "realistic-bases.sh: mmdebstrap of $set for $a failed (is the Debian mirror reachable?)" >&2; exit 1; }
  sha256sum "$tmp/root.tar" | cut -d' ' -f1 > "$tmp/diffid"
  zip "$tmp/root.tar"
  mv "$tmp/root.tar.gz" "$roots/$set-$a.tar.gz"; mv "$tmp/diffid" "$roots/$set-$a.diffid"; rm -rf "$tmp"
  echo "realistic-bases.sh: $(date -u +%T) $set for $a done in $((SECONDS - start))s" >&2
}

# Every missing root filesystem, several at a time (JBUILD_BASES_JOBS, default: one per core): the
# arm64 ones spend most of their time in dpkg and maintainer scripts under QEMU, one emulated
# process at a time, so a single run leaves the other cores idle. Emulated ones first: the longest.
build_roots() {
  local jobs=${JBUILD_BASES_JOBS:-$(nproc)} running=0 failed=0 set a
  [ "$jobs" -ge 2 ] 2>/dev/null || jobs=2
  local order=() native; native=$(dpkg --print-architecture)
  for a in "${archs[@]}"; do [ "$a" = "$native" ] || for set in "${!packages[@]}"; do order+=("$set $a"); done; done
  for set in "${!packages[@]}"; do order+=("$set $native"); done
  for job in "${order[@]}"; do
    read -r set a <<<"$job"
    [ -f "$roots/$set-$a.diffid" ] && continue
    if [ "$running" -ge "$jobs" ]; then wait -n || failed=1; running=$((running - 1)); fi
    build_rootfs "$set" "$a" &
    running=$((running + 1))
  done
  while [ "$running" -gt 0 ]; do wait -n || failed=1; running=$((running - 1)); done
  [ "$failed" = 0 ] || { echo "realistic-bases.sh: building the root filesystems failed (see above)" >&2; exit 1; }
}

build_set() {
  local set=$1 out="$cache/$set"
  [ -f "$out/index.json" ] && return 0
  mkdir -p "$cache"
  work=$(mktemp -d "$cache/.work-$set.XXXXXX")
  mkdir -p "$work/layout/blobs/sha256"
  blob() { local h; h=$(sha256sum "$1" | cut -d' ' -f1); mv "$1" "$work/layout/blobs/sha256/$h"; echo "$h"; }
  declare -A layer_dig layer_size diffid fix_dig fix_size fix_diffid
  for a in "${archs[@]}"; do
    build_rootfs "$set" "$a"
    diffid[$a]=$(cat "$roots/$set-$a.diffid")
    cp "$roots/$set-$a.tar.gz" "$work/$a.tar.gz"
    layer_size[$a]=$(stat -c %s "$work/$a.tar.gz"); layer_dig[$a]=$(blob "$work/$a.tar.gz")
    fix_dig[$a]=""
    if [ -n "${fixups[$set]:-}" ]; then
      IFS='|' read -r paths command <<<"${fixups[$set]}"
      local fx="$work/fix-$a"; mkdir -p "$fx"
      tar -xzf "$roots/$set-$a.tar.gz" -C "$fx" --wildcards "$paths"
      "$command" "$fx"
      (cd "$fx" && find . -mindepth 1 | LC_ALL=C sort > ../fix-$a.list)
      tar --mtime=@$epoch --owner=0 --group=0 --numeric-owner --format=gnu --no-recursion -C "$fx" \
        -cf "$work/fix-$a.tar" -T "$work/fix-$a.list"
      fix_diffid[$a]=$(sha256sum "$work/fix-$a.tar" | cut -d' ' -f1)
      zip "$work/fix-$a.tar"
      fix_size[$a]=$(stat -c %s "$work/fix-$a.tar.gz"); fix_dig[$a]=$(blob "$work/fix-$a.tar.gz")
    fi
  done
  local created; created=$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)
  local refs="" name
  for name in $(printf '%s\n' "${!images[@]}" | sort); do
    IFS='|' read -r s envs cmd <<<"${images[$name]}"
    [ "$s" = "$set" ] || continue
    local envjson='"PATH=/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"' e entries="" wd=""
    [ "$set" = golang ] || envjson='"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"'
    for e in $envs; do envjson="$envjson,\"$e\""; done
    [ "$set" = golang ] && wd=',"WorkingDir":"/go"'
    for a in "${archs[@]}"; do
      local variant=""; [ "$a" = arm64 ] && variant=',"variant":"v8"'
      local fixhist="" fixdiff="" fixlayer=""
      if [ -n "${fix_dig[$a]}" ]; then
        fixhist=",{\"created\":\"$created\",\"created_by\":\"fixup of $(echo "${fixups[$set]%%|*}") (scripts/realistic-bases.sh)\"}"
        fixdiff=",\"sha256:${fix_diffid[$a]}\""
        fixlayer=",{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:${fix_dig[$a]}\",\"size\":${fix_size[$a]}}"
      fi
      printf '{"architecture":"%s","config":{"Cmd":%s,"Env":[%s]%s},"created":"%s","history":[{"created":"%s","created_by":"mmdebstrap --variant=minbase %s + %s (scripts/realistic-bases.sh)"}%s],"os":"linux","rootfs":{"diff_ids":["sha256:%s"%s],"type":"layers"}%s}' \
        "$a" "$cmd" "$envjson" "$wd" "$created" "$created" "$suite" "${packages[$set]}" "$fixhist" "${diffid[$a]}" "$fixdiff" "$variant" > "$work/config.json"
      local csize cdig msize mdig
      csize=$(stat -c %s "$work/config.json"); cdig=$(blob "$work/config.json")
      printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%s}%s]}' \
        "$cdig" "$csize" "${layer_dig[$a]}" "${layer_size[$a]}" "$fixlayer" > "$work/manifest.json"
      msize=$(stat -c %s "$work/manifest.json"); mdig=$(blob "$work/manifest.json")
      [ -n "$entries" ] && entries="$entries,"
      entries="$entries{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:$mdig\",\"size\":$msize,\"platform\":{\"architecture\":\"$a\",\"os\":\"linux\"$variant}}"
    done
    printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[%s]}' "$entries" > "$work/index.json"
    local isize idig; isize=$(stat -c %s "$work/index.json"); idig=$(blob "$work/index.json")
    [ -n "$refs" ] && refs="$refs,"
    refs="$refs{\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"digest\":\"sha256:$idig\",\"size\":$isize,\"annotations\":{\"org.opencontainers.image.ref.name\":\"$name\"}}"
  done
  printf '{"imageLayoutVersion":"1.0.0"}' > "$work/layout/oci-layout"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[%s]}' "$refs" > "$work/layout/index.json"
  rm -rf "$out"; mv "$work/layout" "$out"; rm -rf "$work"; work=""
}

top="${JBUILD_TESTKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/jbuild-testkit}"
# honest keys: everything that shapes a root filesystem (package sets, options, hooks, the function
# that runs mmdebstrap), resp. an image (tags, settings, fixups), is hashed into them
rootkey=$( { declare -p packages archs hooks mmopts; declare -f build_rootfs; echo "$epoch $suite"; } | sha256sum | cut -c1-16)
key=$( { echo "$rootkey"; declare -p images fixups; declare -f fix_python build_set; echo "$format"; } | sha256sum | cut -c1-16)
roots="$top/realistic-rootfs-$rootkey" # SET-ARCH.tar.gz and SET-ARCH.diffid
cache="$top/realistic-$key"
build_roots
for set in $(printf '%s\n' "${!packages[@]}" | sort); do build_set "$set"; done

if [ "${1:-}" = "--push" ]; then
  push_to="${2:?--push needs HOST:PORT}"
  need skopeo skopeo
  for name in $(printf '%s\n' "${!images[@]}" | sort); do
    IFS='|' read -r s _ _ <<<"${images[$name]}"
    skopeo copy --quiet --all --dest-tls-verify=false "oci:$cache/$s:$name" "docker://$push_to/library/$name" >&2
  done
fi
echo "$cache"
