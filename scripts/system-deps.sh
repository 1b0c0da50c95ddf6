#!/usr/bin/env bash
# Installs the Debian packages the tests drive, when missing: Chromium (browser tests, started headless by
# Playwright from /usr/bin/chromium), opus-tools and ffmpeg (independent Ogg/Opus decoders that check the
# recording archive's output), curl (the json_cdr spool replay script's test). Needs root, as CI has;
# elsewhere it says what to install and carries on.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v opusinfo >/dev/null 2>&1 || need+=(opus-tools)
command -v ffprobe >/dev/null 2>&1 || need+=(ffmpeg)
command -v curl >/dev/null 2>&1 || need+=(curl)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "system-deps: missing ${need[*]}; install them with apt-get (tests that need them will fail)" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
echo "system-deps: installing ${need[*]}"
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
