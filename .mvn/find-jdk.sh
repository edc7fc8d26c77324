# Sourced by ./mvnw, ./recourse and .ci/run. Prints the home of a JDK >= 25 or fails with a message.
recourse_jdk_major() {
  # Major version of the JDK at $1, from its release file (no JVM start needed).
  local v
  v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null)"
  [ -n "$v" ] && echo "$v"
}
recourse_find_jdk() {
  local min=25 best="" best_major=0 home major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major="$(recourse_jdk_major "$JAVA_HOME" || echo 0)"
    if [ "${major:-0}" -ge "$min" ]; then echo "$JAVA_HOME"; return 0; fi
  fi
  for home in /usr/lib/jvm/*/ /opt/java/*/ /opt/jdk*/; do
    home="${home%/}"
    [ -x "$home/bin/javac" ] || continue
    major="$(recourse_jdk_major "$home" || echo 0)"
    if [ "${major:-0}" -ge "$min" ] && [ "$major" -gt "$best_major" ]; then
      best="$home"; best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "error: no JDK >= $min found (looked at JAVA_HOME=${JAVA_HOME:-unset}, /usr/lib/jvm, /opt/java)." >&2
    echo "       Install one (e.g. Temurin 25) or set JAVA_HOME to it." >&2
    return 1
  fi
  echo "$best"
}
