#!/usr/bin/env bash
# Starts a 3-node Parley cluster on this machine from the built jar, with HAProxy (default) or
# nginx in front on http://127.0.0.1:8080/ (and http://127.0.0.1:8080/chat/). Ctrl-C stops it all.
#
#   conf/cluster-local.sh                  # SQLite store on node1, HAProxy
#   conf/cluster-local.sh nginx            # SQLite store on node1, nginx
#   conf/cluster-local.sh postgres         # PostgreSQL, store on node1 and node2, HAProxy
#   conf/cluster-local.sh postgres nginx   # PostgreSQL, store on node1 and node2, nginx
#
# SQLite (the default): node1 holds the store (and every other role); node2 and node3 run
# everything but the store and reach it over the clustered event bus.
#
# postgres: a throwaway PostgreSQL server from Debian's installed binaries (the newest
# /usr/lib/postgresql/*/bin) on 127.0.0.1:5433, data in data/cluster/postgres, trust auth, and a
# database "parley". node1 and node2 both have every role, the store included: one of them is the
# active store, the other waits as its standby (kill -9 the active one and watch the other take
# over). node3 runs everything but the store. All nodes share one PARLEY_JWT_SECRET, generated
# once into data/cluster/jwt-secret. Run as root, PostgreSQL runs as the postgres user.
#
# Nodes listen on 8081-8083, Hazelcast on 5701-5703, all on 127.0.0.1. Logs and data:
# data/cluster/; uploads in data/cluster/media, shared by all three nodes.
set -euo pipefail
cd "$(dirname "$0")/.."

proxy=haproxy
database=sqlite
for arg in "$@"; do
  case $arg in
    haproxy | nginx) proxy=$arg ;;
    postgres) database=postgres ;;
    *) echo "usage: $0 [postgres] [haproxy|nginx]" >&2; exit 2 ;;
  esac
done
jar=target/parley.jar
[ -f "$jar" ] || { echo "build the jar first: mvn -q package -DskipTests" >&2; exit 1; }
command -v "$proxy" >/dev/null 2>&1 || [ -x "/usr/sbin/$proxy" ] || {
  echo "$proxy is not installed: sudo apt-get install -y $proxy" >&2; exit 1; }
PATH="$PATH:/usr/sbin"

mkdir -p data/cluster
members=127.0.0.1:5701,127.0.0.1:5702,127.0.0.1:5703
front_roles=${PARLEY_FRONT_ROLES:-api,push,media}
pg_port=5433
pg_dir=$PWD/data/cluster/postgres
pg_bin=
pg_started=false
pids=()

# Runs a PostgreSQL server program; as the postgres user when this script runs as root
# (PostgreSQL refuses to run as root).
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop_all() {
  trap - EXIT INT TERM
  echo "stopping..."
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  if [ "$pg_started" = true ]; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null || true
  fi
}
trap stop_all EXIT INT TERM

# Starts PostgreSQL in data/cluster/postgres (made by initdb on the first run) and creates the
# database "parley" if it does not exist yet.
start_postgres() {
  local bin version newest=0
  for bin in /usr/lib/postgresql/*/bin; do
    version=${bin#/usr/lib/postgresql/}
    version=${version%%/*}
    if [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ] && [[ $version =~ ^[0-9]+$ ]] && ((version > newest)); then
      newest=$version pg_bin=$bin
    fi
  done
  [ -n "$pg_bin" ] || { echo "PostgreSQL is not installed: sudo apt-get install -y postgresql" >&2; exit 1; }
  mkdir -p "$pg_dir"
  if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$pg_dir"; fi
  if [ ! -f "$pg_dir/data/PG_VERSION" ]; then
    as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
      >"$pg_dir/initdb.log" 2>&1 || {
      echo "initdb failed, see $pg_dir/initdb.log (run as root, the postgres user must be able to reach $pg_dir)" >&2
      exit 1; }
  fi
  if as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" status >/dev/null 2>&1; then
    echo "PostgreSQL already runs in $pg_dir/data (left from an earlier run): using it"
  else
    as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/postgres.log" -w -t 60 \
      -o "-p $pg_port -k '$pg_dir' -c listen_addresses=127.0.0.1" start >/dev/null || {
      echo "PostgreSQL did not start, see $pg_dir/postgres.log (is port $pg_port free?)" >&2; exit 1; }
  fi
  pg_started=true
  if [ -z "$("$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'parley'")" ]; then
    "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres parley
  fi
  echo "PostgreSQL $("$pg_bin/postgres" -V | awk '{print $3}') on 127.0.0.1:$pg_port, database parley, log $pg_dir/postgres.log"
}

node_env=()
if [ "$database" = postgres ]; then
  start_postgres
  [ -s data/cluster/jwt-secret ] || (umask 077 && head -c 32 /dev/urandom | base64 >data/cluster/jwt-secret)
  node_env=(PARLEY_DATABASE_URL="postgresql://postgres@127.0.0.1:$pg_port/parley"
    PARLEY_JWT_SECRET="$(cat data/cluster/jwt-secret)")
fi

start_node() {
  local n=$1 roles=$2
  env PARLEY_CLUSTER=true PARLEY_CLUSTER_HOST=127.0.0.1 PARLEY_CLUSTER_PORT=$((5700 + n)) \
    PARLEY_CLUSTER_MEMBERS=$members PARLEY_NODE_ID="node$n" PARLEY_ROLES="$roles" PARLEY_TRUSTED_PROXIES=127.0.0.1 \
    PARLEY_HTTP_HOST=127.0.0.1 PARLEY_HTTP_PORT=$((8080 + n)) PARLEY_DATA_DIR="data/cluster/node$n" \
    PARLEY_MEDIA_DIR=data/cluster/media "${node_env[@]}" \
    java -jar "$jar" >"data/cluster/node$n.log" 2>&1 &
  pids+=($!)
  echo "node$n (roles $roles) on http://127.0.0.1:$((8080 + n))/, log data/cluster/node$n.log"
}

wait_healthy() {
  local port=$1
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "node on port $port did not become healthy; see its log" >&2
  return 1
}

start_node 1 "${PARLEY_STORE_ROLES:-store,$front_roles}"
if [ "$database" = postgres ]; then
  start_node 2 "${PARLEY_STORE_ROLES:-store,$front_roles}"
else
  start_node 2 "$front_roles"
fi
start_node 3 "$front_roles"
for port in 8081 8082 8083; do wait_healthy "$port"; done

if [ "$proxy" = nginx ]; then
  nginx -p "$PWD" -c conf/nginx.conf -g 'daemon off;' &
else
  haproxy -f conf/haproxy.cfg &
fi
pids+=($!)
echo "cluster up: http://127.0.0.1:8080/ and http://127.0.0.1:8080/chat/ (Ctrl-C to stop)"
wait
