#!/usr/bin/env bash
# The long sweep (not part of the default test run): every claim at 500 random trials on seeds 3, 11 and 20261122.
# Each run must end with exit 0 or 3 (3: only inconclusive verdicts besides what the catalog expects) within 120 s.
# Prints one line per run (claim, seed, exit code, seconds, verdict counts) and a closing "N passed, N failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dotnet build "$root/src/VerifyLandscape.Cli" -c Release >/dev/null || exit 2
vl="$root/src/VerifyLandscape.Cli/bin/Release/net10.0/vl.dll"
passed=0; failed=0
cd "$root"
for claim in $(dotnet "$vl" claims | awk 'NR > 1 && $1 ~ /^[a-z]+\./ {print $1}'); do
  for seed in 3 11 20261122; do
    out=$(mktemp); start=$(date +%s.%N)
    timeout 120 dotnet "$vl" check "$claim" --trials 500 --seed "$seed" >"$out" 2>&1; rc=$?
    seconds=$(echo "$(date +%s.%N) - $start" | bc)
    printf '%-28s %-9s exit %-3s %6.1f s  %s\n' "$claim" "$seed" "$rc" "$seconds" "$(grep -E '^(ok|INC|FAIL)' "$out" | cut -c35-)"
    if [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); tail -5 "$out"; fi
    rm -f "$out"
  done
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
