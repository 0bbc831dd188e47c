# Sourced by ./relay and .ci/run: picks a JDK >= 21 and makes sure redis-server exists.
# Fails with a message saying what to install when either cannot be had.

relay_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

relay_pick_jdk() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 \
                   $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    candidate="${candidate%/}"
    if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ]; then
      local major
      major="$(relay_java_major "$candidate")"
      if [ -n "$major" ] && [ "${major%%.*}" -ge 21 ] 2>/dev/null; then
        export JAVA_HOME="$candidate"
        export PATH="$JAVA_HOME/bin:$PATH"
        return 0
      fi
    fi
  done
  echo "relay: no JDK 21 or newer found; install one (e.g. Temurin 25) and set JAVA_HOME" >&2
  return 1
}

relay_ensure_redis() {
  if command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ]; then
    return 0
  fi
  echo "relay: installing redis-server from Debian's packages" >&2
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  # Debian starts the service on install where an init system runs; Relay starts its own on a free port.
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
    && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null \
    || { echo "relay: could not install redis-server; install it with: apt-get install redis-server" >&2; return 1; }
}

relay_pick_jdk && relay_ensure_redis
