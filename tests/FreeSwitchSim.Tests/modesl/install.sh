#!/bin/sh
# Installs modesl for ModeslTests (idempotent: does nothing when node_modules/modesl exists).
set -e
cd "$(dirname "$0")"
[ -d node_modules/modesl ] || npm install --no-audit --no-fund modesl@1.2.1
