# shellcheck shell=bash
# Picks a JDK >= 21 (the machines' default java is 17, too old for the build and the packaged apps).
# Sourced by .ci/run and scripts/topology.sh:
#
#   source scripts/lib/jdk.sh
#   JAVA_HOME=$(pick_jdk)
#
# Preference: Temurin 25 at its usual place, then the newest JDK >= 21 under /usr/lib/jvm, then
# JAVA_HOME if it is recent enough.

# Major version of the JDK in $1 (a JAVA_HOME), or nothing when it has no working java.
java_major() {
  local version
  version=$("$1/bin/java" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}') || return 0
  [[ -n "$version" ]] || return 0
  if [[ "$version" == 1.* ]]; then version=${version#1.}; fi
  printf '%s\n' "${version%%[.+-]*}"
}

is_jdk21() {
  local major
  [[ -x "$1/bin/java" ]] || return 1
  major=$(java_major "$1")
  [[ "$major" =~ ^[0-9]+$ ]] && ((major >= 21))
}

pick_jdk() {
  local preferred=/usr/lib/jvm/temurin-25-jdk-amd64 best='' best_major=0 dir major
  if is_jdk21 "$preferred"; then
    printf '%s\n' "$preferred"
    return
  fi
  for dir in /usr/lib/jvm/*; do
    [[ -d "$dir" && ! -L "$dir" ]] || continue
    if is_jdk21 "$dir"; then
      major=$(java_major "$dir")
      if ((major > best_major)); then best=$dir best_major=$major; fi
    fi
  done
  if [[ -n "$best" ]]; then
    printf '%s\n' "$best"
    return
  fi
  if [[ -n "${JAVA_HOME:-}" ]] && is_jdk21 "$JAVA_HOME"; then
    printf '%s\n' "$JAVA_HOME"
    return
  fi
  echo "No JDK 21 or newer found: looked at /usr/lib/jvm/temurin-25-jdk-amd64, /usr/lib/jvm/* and JAVA_HOME (${JAVA_HOME:-unset}). Install a JDK >= 21 or point JAVA_HOME at one." >&2
  return 1
}
