#!/usr/bin/env bash
# bin/suite images: builds every image of the suite on this machine, with no registry:
#   faultline/debian:<suite>-<hash>   debootstrap --variant=minbase, imported (images/debian)
#   faultline/jre:<java>-<hash>       a jlink runtime of the build's JDK on it (images/jre)
#   faultline/<name>:<version>        the suite: five services, zookeeper, postgres, secrets,
#                                     prometheus (and the postgres-base, prometheus-base they use)
# The two bases are made outside Docker, so they are tagged by a hash of their inputs and rebuilt
# only when those change; everything else is an ordinary docker build, whose layer cache makes a
# rerun on an unchanged tree take seconds. Sourced by bin/suite (JAVA_HOME is set); run as root or
# with sudo for debootstrap. Options: --quiet (no build output), --list (the tags, then exit).
set -euo pipefail

ROOT=${ROOT:?sourced by bin/suite}
IMAGES="$ROOT/images"
STAGE="$ROOT/target/images"
DEBIAN_SUITE=${FAULTLINE_DEBIAN_SUITE:-bookworm}
DEBIAN_MIRROR=${FAULTLINE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# What the services, ZooKeeper and the entrypoints use of the JDK (jdeps over their jars, plus
# jdk.crypto.ec for TLS to registries and jdk.naming.dns for DNS lookups by JNDI).
JRE_MODULES=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,jdk.crypto.ec,jdk.httpserver,jdk.jfr,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs
SERVICES=(gateway lock-service shard-router order-service payment-service)

quiet=false list=false
for arg in "$@"; do
  case "$arg" in
    --quiet) quiet=true ;;
    --list) list=true ;;
    *) echo "usage: bin/suite images [--quiet] [--list]" >&2; exit 2 ;;
  esac
done

say() { printf 'images: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
hash_of() { sha256sum | cut -c1-12; }
has_image() { docker image inspect "$1" >/dev/null 2>&1; }

VERSION=$(sed -n '/<artifactId>faultline<\/artifactId>/{n;s/.*<version>\(.*\)<\/version>.*/\1/p;q}' "$ROOT/pom.xml")
DEBIAN_TAG="faultline/debian:$DEBIAN_SUITE-$( { cat "$IMAGES/debian/rootfs.sh"; echo "$DEBIAN_SUITE $DEBIAN_MIRROR"; } | hash_of)"
JAVA_VERSION=$("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1)
JAVA_MAJOR=$(printf '%s' "$JAVA_VERSION" | sed -n 's/.* version "\([0-9]*\).*/\1/p')
JRE_TAG="faultline/jre:$JAVA_MAJOR-$( { echo "$JAVA_VERSION $JRE_MODULES $DEBIAN_TAG"; cat "$IMAGES/jre/Dockerfile"; } | hash_of)"
SUITE_IMAGES=(postgres-base prometheus-base "${SERVICES[@]}" zookeeper postgres secrets prometheus)

if $list; then
  for name in "${SUITE_IMAGES[@]}"; do echo "faultline/$name:$VERSION"; done
  exit 0
fi

if ! command -v docker >/dev/null 2>&1 || ! docker info >/dev/null 2>&1; then
  cat >&2 <<'ADVICE'
images: no Docker engine answers. On Debian, as root:
  apt-get install docker.io docker-compose && (dockerd >/var/log/dockerd.log 2>&1 &)
then wait for /var/run/docker.sock (README: Containers).
ADVICE
  exit 1
fi

started=$(date +%s)
mkdir -p "$STAGE"

# --- the Debian base: debootstrap, once per recipe --------------------------------------------
if has_image "$DEBIAN_TAG"; then
  say "$DEBIAN_TAG (cached)"
else
  command -v debootstrap >/dev/null 2>&1 || {
    echo "images: debootstrap is missing: apt-get install debootstrap" >&2; exit 1; }
  say "$DEBIAN_TAG: debootstrap --variant=minbase $DEBIAN_SUITE from $DEBIAN_MIRROR"
  rootfs=$(mktemp -d "$STAGE/rootfs.XXXXXX")
  trap 'as_root rm -rf "$rootfs"' EXIT
  as_root bash "$IMAGES/debian/rootfs.sh" "$DEBIAN_SUITE" "$DEBIAN_MIRROR" "$rootfs/fs" >/dev/null
  as_root tar -C "$rootfs/fs" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["bash"]' \
    - "$DEBIAN_TAG" >/dev/null
  as_root rm -rf "$rootfs"
  trap - EXIT
fi

# --- the Java runtime: jlink from the build's JDK ------------------------------------------------
if has_image "$JRE_TAG"; then
  say "$JRE_TAG (cached)"
else
  say "$JRE_TAG: jlink from $JAVA_HOME ($JAVA_VERSION)"
  rm -rf "$STAGE/jre" && mkdir -p "$STAGE/jre"
  # zip-compressed modules and the JDK's default class-data archive (faster starts; only the
  # compressed-oops one, heaps here are far below 32 GB).
  "$JAVA_HOME/bin/jlink" --add-modules "$JRE_MODULES" --strip-debug --no-man-pages \
    --no-header-files --compress=zip-6 --generate-cds-archive --output "$STAGE/jre/openjdk" >/dev/null
  rm -f "$STAGE/jre/openjdk/lib/server/classes_nocoops.jsa"
  cp "$IMAGES/jre/Dockerfile" "$STAGE/jre/"
  docker build -q --build-arg DEBIAN_IMAGE="$DEBIAN_TAG" -t "$JRE_TAG" "$STAGE/jre" >/dev/null
fi

# --- the suite's images: docker build, cached layer by layer --------------------------------------
# A build context of exactly what the image needs (never the repository: its target folders are
# gigabytes), hard-linked where it can be.
stage() {
  local name=$1; shift
  rm -rf "${STAGE:?}/$name" && mkdir -p "$STAGE/$name"
  cp -p "$IMAGES/$name"/* "$STAGE/$name/"
  local from
  for from in "$@"; do cp -rlp "$from" "$STAGE/$name/" 2>/dev/null || cp -rp "$from" "$STAGE/$name/"; done
}

build() {
  local name=$1; shift
  local tag="faultline/$name:$VERSION" log="$STAGE/$name.build.log"
  local t0=$SECONDS before after
  before=$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)
  if ! docker build --build-arg VERSION="$VERSION" "$@" -t "$tag" "$STAGE/$name" >"$log" 2>&1; then
    cat "$log" >&2
    echo "images: building $tag failed (log above, and in $log)" >&2
    exit 1
  fi
  after=$(docker image inspect -f '{{.Id}}' "$tag")
  if [ "$before" = "$after" ]; then
    $quiet || say "$tag unchanged ($((SECONDS - t0))s)"
  else
    $quiet || say "$tag built in $((SECONDS - t0))s"
  fi
}

entrypoints="$ROOT/tools/entrypoints/target"
if [ ! -f "$entrypoints/entrypoints.jar" ]; then
  echo "images: $entrypoints/entrypoints.jar is missing: run ./mvnw -DskipTests package" >&2
  exit 1
fi
rm -rf "$STAGE/entrypoints" && mkdir -p "$STAGE/entrypoints/app"
cp -rlp "$entrypoints/lib" "$STAGE/entrypoints/" 2>/dev/null || cp -rp "$entrypoints/lib" "$STAGE/entrypoints/"
cp -p "$entrypoints/entrypoints.jar" "$entrypoints"/app/*.jar "$STAGE/entrypoints/app/"

stage postgres-base && build postgres-base --build-arg DEBIAN_IMAGE="$DEBIAN_TAG"
stage prometheus-base && build prometheus-base --build-arg DEBIAN_IMAGE="$DEBIAN_TAG"
for service in "${SERVICES[@]}"; do
  jar="$ROOT/$service/target/$service.jar"
  [ -f "$jar" ] || { echo "images: $jar is missing: run ./mvnw -DskipTests package" >&2; exit 1; }
  rm -rf "${STAGE:?}/$service" && mkdir -p "$STAGE/$service"
  cp -p "$IMAGES/service"/* "$STAGE/$service/"
  ln "$jar" "$STAGE/$service/service.jar" 2>/dev/null || cp -p "$jar" "$STAGE/$service/service.jar"
  build "$service" --build-arg JRE_IMAGE="$JRE_TAG" --build-arg SERVICE="$service"
done
stage zookeeper "$STAGE/entrypoints/lib" "$STAGE/entrypoints/app"
build zookeeper --build-arg JRE_IMAGE="$JRE_TAG"
stage postgres "$STAGE/entrypoints/lib" "$STAGE/entrypoints/app"
build postgres --build-arg JRE_IMAGE="$JRE_TAG" --build-arg POSTGRES_IMAGE="faultline/postgres-base:$VERSION"
stage secrets "$STAGE/entrypoints/lib" "$STAGE/entrypoints/app"
build secrets --build-arg JRE_IMAGE="$JRE_TAG"
stage prometheus && build prometheus --build-arg PROMETHEUS_IMAGE="faultline/prometheus-base:$VERSION"

# --- what was built -------------------------------------------------------------------------------
printf '\n%-40s %10s\n' IMAGE SIZE
for tag in "$DEBIAN_TAG" "$JRE_TAG" $(printf "faultline/%s:$VERSION " "${SUITE_IMAGES[@]}"); do
  size=$(docker image inspect -f '{{.Size}}' "$tag")
  printf '%-40s %7d MB\n' "$tag" $((size / 1000000))
done
say "done in $(( $(date +%s) - started ))s"
