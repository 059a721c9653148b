# shellcheck shell=bash
# The tools the test suite needs besides a JDK, installed when they are missing (idempotent).
# Sourced by the Makefile (`make test`, `make install`) and so by .ci/run, which calls `make test`:
#
#   source scripts/lib/prereqs.sh
#   test_prereqs            # installs what it can; fails with the one command to run otherwise
#
# Required (the tests fail without them):
#   chromium                 the console's browser tests drive Debian's chromium through Playwright,
#                            which never downloads a browser ($CHROMIUM points at another binary)
#   pg_dump, pg_restore      PostgresBackupRestoreTest backs up and restores a real database
# Optional (the tests that need them skip, and say so):
#   node, npm and Azurite    AzureBlobArtifactStoreTest (Azurite pinned in tools/azurite/package-lock.json)
#   Redocly CLI, Prism       OpenApiContractTest lints the served document (tools/openapi-lint/package-lock.json;
#                            in CI, where CI=true, a missing Node.js fails that test instead of skipping it)
#   axe-core                 ConsoleBrowserTest's accessibility check (tools/axe-core/package-lock.json; same rule)
#   Adaptive Cards SDK       TeamsCardSchemaTest validates every Teams card (tools/adaptivecards/package-lock.json; same rule)
# Installing needs root and apt-get (Debian, Ubuntu; CI machines). Elsewhere it says what to run.

prereqs_log() { printf '==> %s\n' "$*" >&2; }

# apt-get install as root, non-interactive; one `apt-get update` per shell.
prereqs_apt_install() {
  if [[ -z "${PREREQS_APT_UPDATED:-}" ]]; then
    apt-get update -qq || return 1
    PREREQS_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

prereqs_can_apt() { [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; }

# The Debian packages of the required tools that are missing, one a line.
prereqs_missing() {
  [[ -x "${CHROMIUM:-/usr/bin/chromium}" ]] || echo chromium
  if ! command -v pg_dump >/dev/null 2>&1 || ! command -v pg_restore >/dev/null 2>&1; then
    echo postgresql-client
  fi
}

test_prereqs() {
  local -a missing
  mapfile -t missing < <(prereqs_missing)
  if ((${#missing[@]})); then
    if prereqs_can_apt; then
      prereqs_log "Installing the test prerequisites: ${missing[*]}"
      prereqs_apt_install "${missing[@]}" || prereqs_log "apt-get install ${missing[*]} failed"
      mapfile -t missing < <(prereqs_missing)
    fi
    if ((${#missing[@]})); then
      {
        echo "The tests need ${missing[*]} (browser tests: /usr/bin/chromium; backup tests: pg_dump, pg_restore)."
        if command -v apt-get >/dev/null 2>&1; then
          echo "Install them, then run the command again:"
          echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}"
        elif [[ "$(uname -s)" == Darwin ]]; then
          echo "Install them, then run the command again (CHROMIUM points the tests at the browser):"
          echo "  brew install --cask chromium && brew install libpq && brew link --force libpq && export CHROMIUM=/Applications/Chromium.app/Contents/MacOS/Chromium"
        else
          echo "Install them with your package manager (set CHROMIUM=/path/to/chromium if it is not /usr/bin/chromium), then run the command again."
        fi
      } >&2
      return 1
    fi
  fi
  # optional: Node.js + npm, then Azurite from its lock file
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    if prereqs_can_apt; then
      prereqs_log "Installing Node.js and npm (for Azurite)"
      prereqs_apt_install nodejs npm || prereqs_log "Could not install nodejs npm; the Azurite tests will be skipped"
    else
      prereqs_log "No Node.js/npm (sudo apt-get install -y nodejs npm): the Azurite tests will be skipped"
    fi
  fi
  if [[ ! -x tools/azurite/node_modules/.bin/azurite-blob ]] && command -v npm >/dev/null 2>&1; then
    prereqs_log "Installing Azurite (npm ci in tools/azurite)"
    (cd tools/azurite && npm ci --no-audit --no-fund) || prereqs_log "npm ci in tools/azurite failed; the test retries it"
  fi
  if [[ ! -f tools/axe-core/node_modules/axe-core/axe.min.js ]] && command -v npm >/dev/null 2>&1; then
    prereqs_log "Installing axe-core (npm ci in tools/axe-core)"
    (cd tools/axe-core && npm ci --no-audit --no-fund) || prereqs_log "npm ci in tools/axe-core failed; the test retries it"
  fi
  if [[ ! -f tools/adaptivecards/node_modules/adaptivecards/dist/adaptivecards.js ]] && command -v npm >/dev/null 2>&1; then
    prereqs_log "Installing the Adaptive Cards SDK (npm ci in tools/adaptivecards)"
    (cd tools/adaptivecards && npm ci --no-audit --no-fund) || prereqs_log "npm ci in tools/adaptivecards failed; the test retries it"
  fi
  if [[ ! -x tools/openapi-lint/node_modules/.bin/redocly ]] && command -v npm >/dev/null 2>&1; then
    prereqs_log "Installing Redocly CLI and Prism (npm ci in tools/openapi-lint)"
    (cd tools/openapi-lint && npm ci --no-audit --no-fund) || prereqs_log "npm ci in tools/openapi-lint failed; the test retries it"
  fi
  return 0
}
