#!/usr/bin/env bash
# Make sure the Debian libraries Qt needs are present: install them when root, else print the command.
# Usage: scripts/system-deps.sh [headless|test|desktop|bench]
set -euo pipefail

headless=(libgl1 libegl1 libxkbcommon0 libfontconfig1 libglib2.0-0 libdbus-1-3)
desktop=(libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0)
bench=(xvfb xauth postgresql)  # bench_team.py starts a throwaway PostgreSQL
# pdftotext reads back the exported PDF; the team-mode tests start a throwaway PostgreSQL
# (Debian's server package carries initdb, pg_ctl and the unaccent extension).
tests=(poppler-utils postgresql)

case "${1:-headless}" in
  headless) wanted=("${headless[@]}") ;;
  test) wanted=("${headless[@]}" "${tests[@]}") ;;
  desktop) wanted=("${headless[@]}" "${desktop[@]}") ;;
  bench) wanted=("${headless[@]}" "${desktop[@]}" "${bench[@]}") ;;
  *) echo "usage: $0 [headless|test|desktop|bench]" >&2; exit 2 ;;
esac

command -v dpkg-query >/dev/null 2>&1 || exit 0  # not Debian: the user knows their own system

missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing the system packages Claimdesk needs: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Claimdesk needs these system libraries. Run:" >&2
  echo "  sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
