#!/bin/sh
# Install Debian packages for `make setup` (fonts, chromium), as root or through sudo.
#
#   tools/apt-install.sh "what they are for" PACKAGE...
#
# When another apt or dpkg runs (unattended upgrades, another `make setup`), wait for its
# lock instead of failing: `apt-get install` waits by itself (-o DPkg::Lock::Timeout);
# `apt-get update` has no such option for the package lists' lock, so it is retried while
# apt says the lock is held. The lists are refreshed only when the install needs it. When
# it really fails, apt's own words are printed; setup goes on either way (these packages
# are optional: without them the charts have no CJK font, the browser tests are skipped).
set -u
why=$1
shift
lock_timeout=${APT_LOCK_TIMEOUT:-600}     # seconds to wait for another apt
retry_pause=${APT_RETRY_SECONDS:-10}      # between two tries of apt-get update

if [ "$(id -u)" = 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo="sudo -n"
else
  echo "could not install $*: installing Debian packages needs root (run 'sudo apt-get install $*'), $why" >&2
  exit 0
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
apt() {
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout="$lock_timeout" "$@" >"$log" 2>&1
}
failed() {
  echo "could not install $*: $why. apt-get said:" >&2
  grep -E '^(E|W|Err):' "$log" >&2 || tail -n 5 "$log" >&2
  exit 0
}

apt install "$@" && exit 0
# Unknown or stale package lists: refresh them, waiting while another apt holds their lock.
waited=0
until apt update; do
  grep -q "Could not get lock" "$log" && [ "$waited" -lt "$lock_timeout" ] || failed "$@"
  [ "$waited" = 0 ] && echo "waiting for another apt to finish (it holds the package lists' lock) …" >&2
  sleep "$retry_pause"
  waited=$((waited + retry_pause + 1))
done
apt install "$@" || failed "$@"
