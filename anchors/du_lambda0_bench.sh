#!/usr/bin/env bash
# λ0 = λ_min(H∞) for n = 200 unit inputs in R^20 (issue: Golikov 003): our certificate (arccos enclosed, interval
# LDLᵀ of H∞ − cI) beside mpmath at 50 digits on the same exact inputs, side by side. Usage: bash anchors/du_lambda0_bench.sh [SEED]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
/usr/bin/python3 -c 'import mpmath' 2>/dev/null || apt-get install -y python3-mpmath >/dev/null
dotnet build "$root/src/VerifyLandscape.Cli" -c Release >/dev/null
VL="dotnet $root/src/VerifyLandscape.Cli/bin/Release/net10.0/vl.dll"
work=$(mktemp -d)
seed=${1:-20261123}
start=$(date +%s.%N)
$VL experiment du-lambda0 --samples 200 --dimension 20 --seed "$seed" --out "$work"
end=$(date +%s.%N)
echo "vl (whole command, with start-up): $(echo "$end - $start" | bc) s"
/usr/bin/python3 "$root/anchors/du_lambda0_mpmath.py" "$work/du-lambda0.json"
