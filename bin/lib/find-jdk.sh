# Sourced (POSIX sh) by ./mvnw and bin/suite: points JAVA_HOME at a JDK whose major version is
# at least FAULTLINE_MIN_JAVA (21), so a fresh machine whose default `java` is 17 still builds.
# Order: an adequate JAVA_HOME, the `java` on the PATH, then the usual install folders.

faultline_java_major() {
  # `java -version` prints e.g. `openjdk version "25.0.1" 2025-10-21` or `"1.8.0_402"`.
  "$1/bin/java" -version 2>&1 | sed -n 's/.* version "\([0-9][0-9]*\).*/\1/p' | head -n 1
}

faultline_jdk_ok() {
  [ -n "$1" ] && [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  _major=$(faultline_java_major "$1")
  [ -n "$_major" ] && [ "$_major" -ge "${FAULTLINE_MIN_JAVA:-21}" ]
}

faultline_find_jdk() {
  if faultline_jdk_ok "${JAVA_HOME:-}"; then return 0; fi
  if command -v javac >/dev/null 2>&1; then
    _home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    if faultline_jdk_ok "$_home"; then JAVA_HOME=$_home; export JAVA_HOME; return 0; fi
  fi
  # Newest first, so a machine with 21 and 25 builds with 25.
  for _home in $(ls -d /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
      "$HOME"/.jdks/* 2>/dev/null | sort -r -V); do
    if faultline_jdk_ok "$_home"; then JAVA_HOME=$_home; export JAVA_HOME; return 0; fi
  done
  echo "faultline: no JDK ${FAULTLINE_MIN_JAVA:-21}+ found (looked at JAVA_HOME, PATH, /usr/lib/jvm, /opt, ~/.sdkman)." >&2
  echo "faultline: install one (for example Temurin 21 or 25) or set JAVA_HOME." >&2
  return 1
}

faultline_find_jdk || exit 1
PATH="$JAVA_HOME/bin:$PATH"
export PATH
# Maven 3.9's own libraries still call sun.misc.Unsafe; JDK 24+ warns on every build. Allow it for
# Maven's JVM only (the flag does not exist before JDK 23, hence the check).
if [ "$(faultline_java_major "$JAVA_HOME")" -ge 24 ]; then
  case " ${MAVEN_OPTS:-} " in
    *sun-misc-unsafe-memory-access*) ;;
    *) MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"; export MAVEN_OPTS ;;
  esac
fi
