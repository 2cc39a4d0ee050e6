#!/usr/bin/env bash
# Synapse, the Matrix homeserver the transport-matrix tests talk to.
#
#   synapse.sh installed        exit 0 when the cached install is present and imports
#   synapse.sh install          install Synapse from PyPI into a venv cached outside the repo
#                               (reused when present)
#   synapse.sh start DIR        install when missing, write a config into DIR (SQLite, 127.0.0.1,
#                               a free port, shared-secret registration, rate limits raised for
#                               tests), start it, wait for /_matrix/client/versions; writes
#                               DIR/peer.json ({"url", "serverName", "sharedSecret", "pid"})
#   synapse.sh stop DIR         stop the Synapse started in DIR
#
# The cache is ${CONFAB_PEERS_CACHE:-$HOME/.cache/confab}/synapse/<version>/. Exit status is
# non-zero with a message on stderr when anything fails, so CI fails when Synapse cannot start.
set -euo pipefail

version="${CONFAB_SYNAPSE_VERSION:-1.163.2}"
cache="${CONFAB_PEERS_CACHE:-$HOME/.cache/confab}/synapse/$version"
venv="$cache/venv"
python="${PYTHON:-python3}"

die() { echo "synapse.sh: $*" >&2; exit 1; }

installed() {
  [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import synapse' 2>/dev/null
}

install() {
  if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import synapse' 2>/dev/null; then
    return 0
  fi
  command -v "$python" >/dev/null || die "python3 not found; install Python 3.10+ to run Synapse"
  echo "synapse.sh: installing matrix-synapse $version into $venv (takes a few minutes)" >&2
  rm -rf "$venv"
  mkdir -p "$cache"
  "$python" -m venv "$venv" || die "could not create a virtualenv at $venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "matrix-synapse==$version" \
    || die "pip install matrix-synapse==$version failed"
  "$venv/bin/python" -c 'import synapse' || die "Synapse installed but does not import"
}

free_port() {
  "$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

random_hex() {
  "$venv/bin/python" -c 'import secrets; print(secrets.token_hex(24))'
}

write_config() {
  local dir="$1" port="$2" secret="$3"
  # Rate limits are raised far above what a test sends so only the test that lowers a user's
  # limit (admin API override_ratelimit) ever sees M_LIMIT_EXCEEDED.
  local high='{per_second: 10000, burst_count: 10000}'
  cat >"$dir/homeserver.yaml" <<YAML
server_name: "localhost"
pid_file: "$dir/homeserver.pid"
public_baseurl: "http://127.0.0.1:$port/"
listeners:
  - port: $port
    bind_addresses: ["127.0.0.1"]
    type: http
    tls: false
    x_forwarded: false
    resources:
      - names: [client]
        compress: false
database:
  name: sqlite3
  args:
    database: "$dir/homeserver.db"
log_config: "$dir/log.config"
media_store_path: "$dir/media_store"
signing_key_path: "$dir/signing.key"
registration_shared_secret: "$secret"
enable_registration: false
macaroon_secret_key: "$(random_hex)"
form_secret: "$(random_hex)"
report_stats: false
trusted_key_servers: []
suppress_key_server_warning: true
federation_domain_whitelist: []
presence:
  enabled: false
url_preview_enabled: false
rc_message: $high
rc_registration: $high
rc_login:
  address: $high
  account: $high
  failed_attempts: $high
rc_joins:
  local: $high
  remote: $high
rc_joins_per_room: $high
rc_invites:
  per_room: $high
  per_user: $high
  per_issuer: $high
rc_admin_redaction: $high
rc_room_creation: $high
YAML
  cat >"$dir/log.config" <<YAML
version: 1
formatters:
  precise:
    format: '%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - %(request)s - %(message)s'
handlers:
  file:
    class: logging.FileHandler
    formatter: precise
    filename: "$dir/homeserver.log"
    encoding: utf8
root:
  level: WARNING
  handlers: [file]
disable_existing_loggers: false
YAML
}

start() {
  local dir="${1:?usage: synapse.sh start DIR}"
  install
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  if [ -f "$dir/peer.json" ]; then stop "$dir" || true; fi
  local port secret
  port="$(free_port)"
  secret="$(random_hex)"
  write_config "$dir" "$port" "$secret"
  (cd "$dir" && "$venv/bin/python" -m synapse.app.homeserver -c homeserver.yaml --generate-keys >/dev/null) \
    || die "could not generate signing keys in $dir"
  export NO_PROXY="127.0.0.1,localhost" no_proxy="127.0.0.1,localhost"
  (cd "$dir" && exec "$venv/bin/python" -m synapse.app.homeserver -c homeserver.yaml >"$dir/stdout.log" 2>&1) &
  local pid=$!
  local url="http://127.0.0.1:$port"
  local waited=0
  until curl -sf --noproxy '*' "$url/_matrix/client/versions" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$dir/stdout.log" "$dir/homeserver.log" >&2 2>/dev/null || true
      die "Synapse exited during start-up (logs in $dir)"
    fi
    if [ "$waited" -ge 120 ]; then
      kill "$pid" 2>/dev/null || true
      die "Synapse did not answer $url/_matrix/client/versions within 120 s (logs in $dir)"
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
  printf '{"url":"%s","serverName":"localhost","sharedSecret":"%s","pid":%d}\n' \
    "$url" "$secret" "$pid" >"$dir/peer.json"
  echo "$url"
}

stop() {
  local dir="${1:?usage: synapse.sh stop DIR}"
  [ -f "$dir/peer.json" ] || return 0
  local pid
  pid="$(sed -n 's/.*"pid":\([0-9]*\).*/\1/p' "$dir/peer.json")"
  rm -f "$dir/peer.json"
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  kill -9 "$pid" 2>/dev/null || true
}

case "${1:-}" in
  installed) installed ;;
  install) install ;;
  start) start "${2:-}" ;;
  stop) stop "${2:-}" ;;
  *) die "usage: synapse.sh installed | install | start DIR | stop DIR" ;;
esac
