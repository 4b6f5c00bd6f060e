# Starts and stops local GoTrue-compatible test servers. Sourced by test.sh and demo.sh.
#   start_server NAME PORT [server flags...]   waits until it listens, exports nothing
#   stop_servers                                kills every server this shell started

SERVER_PIDS=()
SERVER_LOG_DIR="${SERVER_LOG_DIR:-$ROOT/target/test-server-logs}"

start_server() {
  local name="$1" port="$2"
  shift 2
  mkdir -p "$SERVER_LOG_DIR"
  local log="$SERVER_LOG_DIR/$name.log"
  # A server left over from an interrupted run would hold the port.
  if command -v fuser >/dev/null 2>&1; then fuser -k "$port/tcp" >/dev/null 2>&1 || true; fi
  "$ROOT/target/debug/gotrue-test-server" --port "$port" "$@" >"$log" 2>&1 &
  SERVER_PIDS+=("$!")
  # Up to 30 s: a loaded CI machine can be slow to start a process.
  for _ in $(seq 1 300); do
    if grep -q "^listening on " "$log" 2>/dev/null; then
      printf '[servers] %s: %s\n' "$name" "$(grep -m1 '^listening on ' "$log" | cut -d' ' -f3)" >&2
      return 0
    fi
    if ! kill -0 "${SERVER_PIDS[-1]}" 2>/dev/null; then
      printf '[servers] %s exited; its log:\n' "$name" >&2; cat "$log" >&2; return 1
    fi
    sleep 0.1
  done
  printf '[servers] %s did not start listening in 30 s\n' "$name" >&2
  return 1
}

stop_servers() {
  local pid
  for pid in "${SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${SERVER_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  SERVER_PIDS=()
}
