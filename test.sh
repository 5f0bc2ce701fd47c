#!/usr/bin/env bash
# The project's one test command (README, .ci/run): installs the browser of the dashboard's browser test when it is
# missing (Debian/Ubuntu: chromium and chromium-driver with apt-get, as root or through sudo), then runs every test.
# Extra arguments go to Maven (e.g. ./test.sh -DskipITs).
set -euo pipefail
cd "$(dirname "$0")"
if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
  sudo=""
  if [[ "$(id -u)" != 0 ]]; then
    sudo="sudo"
  fi
  echo "test.sh: installing chromium and chromium-driver (for the dashboard's browser test)" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver
fi
exec ./mvnw -B verify "$@"
