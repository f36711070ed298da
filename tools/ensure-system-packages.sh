#!/usr/bin/env bash
# Install the Debian/Ubuntu packages that are missing, or say exactly how to.
#   tools/ensure-system-packages.sh required PKG...   missing + not root -> print sudo line, exit 1
#   tools/ensure-system-packages.sh optional PKG...   missing + not root -> print a note, exit 0
#                                                     (the tests that need them skip, saying why;
#                                                      under CI=true such a skip fails the run)
set -u
mode=$1; shift
missing=()
for pkg in "$@"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  case "$status" in *"install ok installed"*) ;; *) missing+=("$pkg") ;; esac
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Not a Debian/Ubuntu system: please install the equivalents of: ${missing[*]}" >&2
  [ "$mode" = required ] && exit 1 || exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Refresh the package lists only when they are missing or older than a day.
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -1)" ]; then
    apt-get update -qq
  fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit $?
fi
if [ "$mode" = required ]; then
  echo "Missing system packages. Please run:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Note: optional test tools are missing (${missing[*]}); the tests that need them will skip."
echo "      Install them with: sudo apt-get install -y ${missing[*]}"
exit 0
