#!/usr/bin/env bash
# Runs every test of the suite: ./test.sh [extra dotnet test arguments]
# Installs the test prerequisites first (scripts/install-test-deps.sh), builds Suite.sln in Release, runs all tests,
# and ends with one summary line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"

scripts/install-test-deps.sh || exit 1

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build Suite.sln -c Release -warnaserror --nologo -v quiet || exit 1

log=$(mktemp)
dotnet test Suite.sln -c Release --no-build --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Sum the per-assembly result lines ("Passed!  - Failed: 0, Passed: 24, Skipped: 0, ...").
read -r passed failed skipped < <(grep -E '(Passed|Failed)! +- +Failed: +[0-9]+' "$log" |
  sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\2 \1 \3/' |
  awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
