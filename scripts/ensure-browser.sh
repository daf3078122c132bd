#!/usr/bin/env bash
# Runs before `npm test` (the `pretest` script): the console's browser tests drive Debian's Chromium through
# playwright-core, and npm downloads no browser. When CHROMIUM_PATH (default /usr/bin/chromium) is missing, this
# installs Debian's `chromium` package with apt, as root or through sudo. It never downloads a browser elsewhere.
set -euo pipefail

browser=${CHROMIUM_PATH:-/usr/bin/chromium}
if [[ -x "$browser" ]]; then
  exit 0
fi
if [[ -n "${CHROMIUM_PATH:-}" ]]; then
  echo "ensure-browser: CHROMIUM_PATH=${CHROMIUM_PATH} is not an executable; point it at a Chromium binary or unset it" >&2
  exit 1
fi

if [[ $(id -u) -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "ensure-browser: ${browser} is missing and installing it needs root: run \`sudo apt-get install chromium\`, or set CHROMIUM_PATH to a Chromium binary" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "ensure-browser: ${browser} is missing and this machine has no apt-get: install Chromium and set CHROMIUM_PATH to it" >&2
  exit 1
fi

echo "ensure-browser: installing Debian's chromium for the console's browser tests (once per machine)"
export DEBIAN_FRONTEND=noninteractive
# Another apt run (unattended upgrades) may hold the lock for a while: wait for it rather than fail.
apt_options=(-o DPkg::Lock::Timeout=300 -qq)
started=$SECONDS
"${as_root[@]}" apt-get "${apt_options[@]}" update
"${as_root[@]}" apt-get "${apt_options[@]}" install --yes --no-install-recommends chromium >/dev/null
if [[ ! -x "$browser" ]]; then
  echo "ensure-browser: apt installed chromium but ${browser} is still missing; set CHROMIUM_PATH to its binary" >&2
  exit 1
fi
echo "ensure-browser: $("$browser" --version 2>/dev/null || echo chromium) installed in $((SECONDS - started))s"
