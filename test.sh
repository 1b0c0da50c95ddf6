#!/usr/bin/env bash
# Runs every test: starts what the tests need (a local PostgreSQL, node packages for the modesl interop
# test), builds the solution, runs all xunit projects, and prints one closing line "N passed, N failed".
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$repo"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

scripts/postgres.sh start
export CALLCONTROL_TEST_DB="${CALLCONTROL_TEST_DB:-$(scripts/postgres.sh url)}"
scripts/node-deps.sh
scripts/system-deps.sh

dotnet build CallControl.sln -c Release -nologo -v q -clp:ErrorsOnly

log="$repo/.local/test-output.log"
mkdir -p "$repo/.local"
set +e
# --blame-hang-timeout: a hung test is dumped and failed instead of stalling CI.
dotnet test CallControl.sln -c Release --no-build --nologo --blame-hang-timeout 10m "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# Sum the per-project summaries ("Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12").
read -r passed failed skipped < <(awk '
  /(Passed|Failed)! *- *Failed:/ {
    for (i = 1; i <= NF; i++) {
      gsub(",", "", $(i+1));
      if ($i == "Failed:") f += $(i+1);
      if ($i == "Passed:") p += $(i+1);
      if ($i == "Skipped:") s += $(i+1);
    }
  }
  END { printf "%d %d %d\n", p, f, s }' "$log")
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
