#!/usr/bin/env bash
# Makes sure the local services the test suite talks to are up: Redis on 127.0.0.1:6379 (the
# session bridge's connect-redis tests). Starts it when it is installed but not running; says
# clearly what is missing otherwise (the tests that need it then fail, they never skip).
set -u

redis_up() {
  (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && timeout 2 head -c 5 <&3 | grep -q PONG) 2>/dev/null
}

if redis_up; then
  echo "[services] Redis is up on 127.0.0.1:6379" >&2
elif command -v redis-server >/dev/null 2>&1; then
  echo "[services] starting Redis on 127.0.0.1:6379 (in memory, nothing saved to disk)" >&2
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  for _ in $(seq 1 50); do redis_up && break; sleep 0.1; done
  redis_up || echo "[services] warning: Redis did not come up; the Redis-backed session tests will fail" >&2
else
  echo "[services] warning: Redis is not installed (apt-get install redis-server); the Redis-backed session tests will fail" >&2
fi
