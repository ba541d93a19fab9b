#!/usr/bin/env bash
# Installs what the extension tests need to run inside a real VS Code extension host on a machine
# without internet access beyond the npm registry and Debian's apt:
#   - Debian packages: chromium (headless browser for the workbench), ripgrep (VS Code's search
#     binary, normally downloaded from GitHub), and the toolchain for code-server's native modules;
#   - code-server (VS Code 1.99.3 served as a web workbench whose extension hosts are Node processes).
# The install is cached per code-server version, so a later run only checks the Debian packages
# and the cache marker.
#
#   bash scripts/setup-vscode-host.sh          # prints the install directory on its last line
set -euo pipefail

CODE_SERVER_VERSION=${DRYDOCK_CODE_SERVER_VERSION:-4.99.4}   # 4.99.x is the last line that runs on Node 20
CACHE_ROOT=${DRYDOCK_VSCODE_HOST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/drydock-vscode-host}
INSTALL_DIR="$CACHE_ROOT/$CODE_SERVER_VERSION"
READY_MARKER="$INSTALL_DIR/.ready"
APT_PACKAGES=(chromium ripgrep build-essential python3 pkg-config libkrb5-dev)

log() { echo "setup-vscode-host: $*" >&2; }

install_missing_apt_packages() {
  local missing=() pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    log "missing Debian packages: ${missing[*]} (run this script as root, or install them)"
    exit 1
  fi
  log "installing Debian packages: ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# npm 11 runs no dependency install scripts, and code-server's own postinstall would fetch ripgrep
# from GitHub. So: install with scripts off, then perform each needed step here, explicitly.
install_code_server() {
  local staging="$INSTALL_DIR.partial"
  rm -rf "$staging"
  mkdir -p "$staging"
  cd "$staging"
  echo '{"name":"drydock-vscode-host","private":true}' > package.json
  log "installing code-server $CODE_SERVER_VERSION from npm"
  npm install --ignore-scripts --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
  # argon2 (password hashing; unused with --auth none, but loaded at startup) builds from source.
  npm rebuild --foreground-scripts argon2 >/dev/null

  local vscode_dir="$staging/node_modules/code-server/lib/vscode"
  cd "$vscode_dir"
  log "installing the server's runtime modules"
  npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error
  log "building native modules (a minute on two cores)"
  npm rebuild --foreground-scripts kerberos @vscode/spdlog native-watchdog @vscode/deviceid @parcel/watcher >/dev/null
  # node-pty's build succeeds, but a later step of its install script (generating
  # compile_commands.json) fails; the addon is all we need, so check for it instead of the status.
  npm rebuild --foreground-scripts node-pty >/dev/null 2>&1 || true
  test -f node_modules/node-pty/build/Release/pty.node || { log "node-pty did not build"; exit 1; }
  mkdir -p node_modules/@vscode/ripgrep/bin
  ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  # The links code-server's postinstall would have made.
  ln -sfn node_modules node_modules.asar
  ln -sfn code-linux.sh bin/remote-cli/code-server
  ln -sfn browser-linux.sh bin/helpers/browser.sh
  (cd extensions && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)

  cd "$CACHE_ROOT"
  rm -rf "$INSTALL_DIR"
  mv "$staging" "$INSTALL_DIR"
  date -u +%FT%TZ > "$READY_MARKER"
}

# The apt check is cheap and runs every time: a restored cache does not bring Chromium with it.
install_missing_apt_packages
if [ -f "$READY_MARKER" ]; then
  echo "$INSTALL_DIR"
  exit 0
fi
mkdir -p "$CACHE_ROOT"
install_code_server
log "ready in $INSTALL_DIR"
echo "$INSTALL_DIR"
