# shellcheck shell=bash
# Picks a JDK >= 21 (the machines' default java is 17, too old for the build and the packaged apps).
# Sourced by the Makefile, .ci/run and scripts/topology.sh:
#
#   source scripts/lib/jdk.sh
#   use_jdk                  # exports JAVA_HOME and puts its bin first on PATH, or fails saying what to install
#   JAVA_HOME=$(pick_jdk)    # only picks
#
# Preference: JAVA_HOME when it is recent enough (the user chose it), then Temurin 25 at its usual
# place, then the newest JDK >= 21 among the usual places: /usr/lib/jvm (Debian, Ubuntu, Fedora),
# SDKMAN (~/.sdkman/candidates/java), macOS (/Library/Java/JavaVirtualMachines and
# ~/Library/Java/JavaVirtualMachines), then the `java` on PATH.

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
  [[ -x "$1/bin/java" && -x "$1/bin/javac" ]] || return 1
  major=$(java_major "$1")
  [[ "$major" =~ ^[0-9]+$ ]] && ((major >= 21))
}

# The JAVA_HOMEs of the usual places, one a line (may include ones that are not JDKs).
jdk_candidates() {
  local dir
  for dir in /usr/lib/jvm/* "$HOME"/.sdkman/candidates/java/* \
    /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [[ -d "$dir" ]] || continue
    # SDKMAN's `current` and Debian's aliases are links to one of the others
    [[ -L "$dir" ]] && continue
    printf '%s\n' "$dir"
  done
  if command -v java >/dev/null 2>&1; then
    dir=$(cd "$(dirname "$(readlink -f "$(command -v java)" 2>/dev/null || command -v java)")/.." && pwd)
    printf '%s\n' "$dir"
  fi
}

pick_jdk() {
  local preferred=/usr/lib/jvm/temurin-25-jdk-amd64 best='' best_major=0 dir major
  if [[ -n "${JAVA_HOME:-}" ]] && is_jdk21 "$JAVA_HOME"; then
    printf '%s\n' "$JAVA_HOME"
    return
  fi
  if is_jdk21 "$preferred"; then
    printf '%s\n' "$preferred"
    return
  fi
  while IFS= read -r dir; do
    if is_jdk21 "$dir"; then
      major=$(java_major "$dir")
      if ((major > best_major)); then best=$dir best_major=$major; fi
    fi
  done < <(jdk_candidates)
  if [[ -n "$best" ]]; then
    printf '%s\n' "$best"
    return
  fi
  {
    echo "No JDK 21 or newer found. Looked at JAVA_HOME (${JAVA_HOME:-unset}), /usr/lib/jvm/*,"
    echo "~/.sdkman/candidates/java/*, /Library/Java/JavaVirtualMachines/* and the java on PATH."
    echo "Install one, then run the command again:"
    if [[ "$(uname -s)" == Darwin ]]; then
      echo "  brew install --cask temurin@25"
    elif command -v sdk >/dev/null 2>&1 || [[ -d "$HOME/.sdkman" ]]; then
      echo "  sdk install java 25.0.1-tem    (or any 21+ listed by: sdk list java)"
    else
      echo "  curl -s https://get.sdkman.io | bash && source ~/.sdkman/bin/sdkman-init.sh && sdk install java 25.0.1-tem"
    fi
    echo "(or point JAVA_HOME at a JDK >= 21 you already have)"
  } >&2
  return 1
}

# Exports JAVA_HOME (a JDK >= 21) and puts its bin first on PATH; fails with pick_jdk's message.
use_jdk() {
  local home
  home=$(pick_jdk) || return 1
  export JAVA_HOME=$home
  export PATH="$JAVA_HOME/bin:$PATH"
  [[ -n "${JDK_QUIET:-}" ]] || printf '==> JDK: %s\n' "$JAVA_HOME" >&2
}
