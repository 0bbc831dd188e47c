#!/usr/bin/env bash
# Makes sure Debian's Chromium exists at /usr/bin/chromium (the browser test drives it headless
# through playwright-core; no browser is downloaded by npm). Called by .ci/run before the tests.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
echo "relay: installing chromium from Debian's packages" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
[ -x /usr/bin/chromium ] || { echo "relay: chromium is still missing; install it with: apt-get install chromium" >&2; exit 1; }
