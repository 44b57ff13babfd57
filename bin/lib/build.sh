# Sourced by bin/suite and bin/bench (after find-jdk.sh, with ROOT set): builds one at a time, and
# knows which modules a tool is built from.

# Runs ./mvnw ARGS under this checkout's build lock. Two commands started together (a `status`
# during a first `up`) would otherwise both build and overwrite each other's jars mid-write; the
# second waits here, then asks its caller's question again, since the first may have built it all.
locked_build() {
  mkdir -p "$ROOT/target"
  (
    flock 9
    "$@"
  ) 9>"$ROOT/target/build.lock"
}

# The reactor's modules, as the root pom lists them.
reactor_modules() {
  sed -n 's:.*<module>\(.*\)</module>.*:\1:p' "$ROOT/pom.xml"
}

# True when MODULE's jar JAR is missing or older than anything it is built from: its own sources
# and pom, the root pom, and the sources and pom of every faultline module whose jar Maven copied
# into its target/lib. Newer than the stamp its last build here left, where there is one: Maven
# does not rewrite a jar whose own classes did not change, so the jar's time alone would call a
# tool stale forever after a change in one of its libraries.
tool_stale() {
  local module="$1" jar="$2" since m
  [ -f "$jar" ] || return 0
  since="$jar"
  [ "$ROOT/$module/target/build.stamp" -nt "$since" ] && since="$ROOT/$module/target/build.stamp"
  local inputs=("$ROOT/pom.xml" "$ROOT/$module/pom.xml" "$ROOT/$module/src/main")
  for m in $(reactor_modules); do
    if compgen -G "$ROOT/$module/target/lib/$(basename "$m")-[0-9]*.jar" >/dev/null; then
      inputs+=("$ROOT/$m/pom.xml" "$ROOT/$m/src/main")
    fi
  done
  [ -n "$(find "${inputs[@]}" -newer "$since" -type f -print -quit 2>/dev/null)" ]
}

# Builds MODULE (and what it needs) when tool_stale says so, under the lock.
build_tool() {
  local module="$1" jar="$2"
  tool_stale "$module" "$jar" || return 0
  locked_build _build_tool "$module" "$jar"
}

_build_tool() {
  local module="$1" jar="$2"
  tool_stale "$module" "$jar" || return 0
  echo "$(basename "$0"): building $module..." >&2
  touch "$ROOT/$module/target/build.stamp.next" 2>/dev/null || {
    mkdir -p "$ROOT/$module/target" && touch "$ROOT/$module/target/build.stamp.next"
  }
  "$ROOT/mvnw" -q -B -DskipTests -Dspotless.check.skip=true package -pl "$module" -am >&2
  # Sources changed during the build stay newer than the stamp.
  mv "$ROOT/$module/target/build.stamp.next" "$ROOT/$module/target/build.stamp"
}
