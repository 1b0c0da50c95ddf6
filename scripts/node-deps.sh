#!/usr/bin/env bash
# Installs the npm packages that tests and benchmarks drive (e.g. modesl, an independent ESL client),
# from the npm registry, into each folder that has a package.json. Idempotent: skips installed folders.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
while IFS= read -r pkg; do
  dir="$(dirname "$pkg")"
  if [ ! -d "$dir/node_modules" ] || [ "$pkg" -nt "$dir/node_modules" ]; then
    if ! command -v npm >/dev/null; then echo "node-deps: npm is missing" >&2; exit 1; fi
    echo "node-deps: npm install in ${dir#"$repo"/}" >&2
    (cd "$dir" && npm install --no-audit --no-fund --loglevel=error >/dev/null && touch node_modules)
  fi
done < <(find "$repo/tests" "$repo/bench" -name package.json -not -path '*/node_modules/*' 2>/dev/null)
