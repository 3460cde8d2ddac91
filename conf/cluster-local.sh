#!/usr/bin/env bash
# Starts a 3-node Parley cluster on this machine from the built jar, with HAProxy (default) or
# nginx in front on http://127.0.0.1:8080/ (and http://127.0.0.1:8080/chat/). Ctrl-C stops it all.
#
#   conf/cluster-local.sh            # HAProxy
#   conf/cluster-local.sh nginx      # nginx
#
# node1 holds the store (and every other role); node2 and node3 run everything but the store and
# reach it over the clustered event bus. Nodes listen on 8081-8083, Hazelcast on 5701-5703, all on
# 127.0.0.1. Logs and data: data/cluster/.
set -euo pipefail
cd "$(dirname "$0")/.."

proxy=${1:-haproxy}
jar=target/parley.jar
[ -f "$jar" ] || { echo "build the jar first: mvn -q package -DskipTests" >&2; exit 1; }
command -v "$proxy" >/dev/null 2>&1 || [ -x "/usr/sbin/$proxy" ] || {
  echo "$proxy is not installed: sudo apt-get install -y $proxy" >&2; exit 1; }
PATH="$PATH:/usr/sbin"

mkdir -p data/cluster
members=127.0.0.1:5701,127.0.0.1:5702,127.0.0.1:5703
front_roles=${PARLEY_FRONT_ROLES:-api,push}
pids=()
stop_all() {
  trap - EXIT INT TERM
  echo "stopping..."
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop_all EXIT INT TERM

start_node() {
  local n=$1 roles=$2
  env PARLEY_CLUSTER=true PARLEY_CLUSTER_HOST=127.0.0.1 PARLEY_CLUSTER_PORT=$((5700 + n)) \
    PARLEY_CLUSTER_MEMBERS=$members PARLEY_NODE_ID=node$n PARLEY_ROLES="$roles" \
    PARLEY_HTTP_HOST=127.0.0.1 PARLEY_HTTP_PORT=$((8080 + n)) PARLEY_DATA_DIR=data/cluster/node$n \
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
start_node 2 "$front_roles"
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
