#!/usr/bin/env bash
# Makes sure what the test suite talks to is there: Redis on 127.0.0.1:6379 (the session bridge's
# connect-redis tests), RabbitMQ on 127.0.0.1:5672 and NATS with JetStream on 127.0.0.1:4222 (the
# jobs bridge's amqp and nats e2e tests), each started when installed but not running; and PHP with sodium (the KV
# encryption interop tests), installed from Debian's php-cli when apt-get can be used. Says
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

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start_service NAME PORT SECONDS BINARY INSTALL-HINT COMMAND...: starts NAME with COMMAND when BINARY
# is installed and PORT is closed, then waits up to SECONDS for the port.
start_service() {
  local name="$1" port="$2" wait="$3" binary="$4" hint="$5"
  shift 5
  if port_open "$port"; then
    echo "[services] $name is up on 127.0.0.1:$port" >&2
  elif command -v "$binary" >/dev/null 2>&1; then
    echo "[services] starting $name on 127.0.0.1:$port" >&2
    "$@" >/tmp/roadrunner-runtime-"${name// /-}".log 2>&1 ||
      echo "[services] warning: starting $name failed (log: /tmp/roadrunner-runtime-${name// /-}.log)" >&2
    for _ in $(seq 1 $((wait * 10))); do port_open "$port" && break; sleep 0.1; done
    port_open "$port" || echo "[services] warning: $name did not come up on 127.0.0.1:$port; the tests that need it will fail" >&2
  else
    echo "[services] warning: $name is not installed ($hint); the tests that need it will fail" >&2
  fi
}

start_service RabbitMQ 5672 90 rabbitmq-server "apt-get install rabbitmq-server" rabbitmq-server -detached
mkdir -p /var/lib/nats-server 2>/dev/null || true
start_service "NATS JetStream" 4222 20 nats-server "apt-get install nats-server" \
  start-stop-daemon --start --oknodo --background --exec "$(command -v nats-server)" -- \
  -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log

php_sodium() { command -v php >/dev/null 2>&1 && php -r 'exit(function_exists("sodium_crypto_box_seal") ? 0 : 1);' 2>/dev/null; }

if php_sodium; then
  echo "[services] PHP with sodium is installed ($(php -r 'echo PHP_VERSION;'))" >&2
else
  as_root=""
  [ "$(id -u)" -ne 0 ] && sudo -n true 2>/dev/null && as_root="sudo -n"
  if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || [ -n "$as_root" ]; }; then
    echo "[services] installing php-cli from Debian's packages (the KV encryption interop tests open values with PHP's sodium)" >&2
    { $as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq php-cli; } >/tmp/roadrunner-runtime-php-install.log 2>&1 ||
      echo "[services] warning: apt-get could not install php-cli (log: /tmp/roadrunner-runtime-php-install.log)" >&2
  fi
  php_sodium || echo "[services] warning: PHP with the sodium extension is missing (apt-get install php-cli); the KV encryption interop tests will fail" >&2
fi
