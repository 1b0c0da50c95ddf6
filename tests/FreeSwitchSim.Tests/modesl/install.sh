#!/bin/sh
# Installs modesl for ModeslTests (idempotent: does nothing when node_modules/modesl exists).
set -e
cd "$(dirname "$0")"
# npm ci installs exactly what package-lock.json pins and never rewrites package.json (npm install modesl@1.2.1
# would save "^1.2.1" back into it).
[ -d node_modules/modesl ] || npm ci --no-audit --no-fund
