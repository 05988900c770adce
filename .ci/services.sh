#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer on 127.0.0.1, starting this machine's copies if they do not, and
# that redis-server is installed (the Sentinel tests start their own servers and sentinels with it).
set -euo pipefail

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

if ! pg_up; then
  echo "PostgreSQL is not answering; starting it."
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
fi
pg_up || { echo "PostgreSQL did not start on 127.0.0.1:5432" >&2; exit 1; }

# redis-server also runs the Sentinel failover tests' sentinels (`redis-server FILE --sentinel`), so
# it must be on the machine even where another Redis answers on 6379.
if ! command -v redis-server >/dev/null 2>&1; then
  echo "redis-server is missing; installing Debian's."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server
fi

if ! redis_up; then
  echo "Redis is not answering; starting it."
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  for _ in $(seq 1 30); do redis_up && break; sleep 1; done
fi
redis_up || { echo "Redis did not start on 127.0.0.1:6379" >&2; exit 1; }
echo "PostgreSQL and Redis are answering."
