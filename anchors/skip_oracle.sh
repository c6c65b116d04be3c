#!/usr/bin/env bash
# Oracle (not part of the default tests): PyTorch float64 gradients and Hessians of 001's skip and DAG networks (the output
# reading listed hidden units, no output bias; DAG layers, shared and frozen weights) must lie inside vl's rigorous enclosures (`vl audit` says "matches",
# or "inconclusive" only where an enclosure is too wide to judge, never "MISMATCH"), at 5 random points of each
# shipped skip spec, of the plain depth-4 tanh spec, and of three 002 specs (mae with relu, mse with ridge, mse with ℓ1). Needs Debian's python3-torch (installed here when missing).
# Usage: anchors/skip_oracle.sh
set -euo pipefail
source "$(dirname "$0")/oracle-setup.sh"
bad=0; runs=0; kinks=0
for name in nguyen-sigmoid-skip nguyen-softplus-skip nguyen-tanh-skip nguyen-dag-conv nguyen-dag-constant-patch depth4-tanh freeman-2-3-2-relu-cyclic freeman-1-1-1-1-ridge freeman-2-2-2-l1; do
  for seed in 1 2 3 4 5; do
    /usr/bin/python3 - "$root" "$name" "$seed" <<'PY'
import json, random, sys
sys.path.insert(0, sys.argv[1] + "/anchors")
import pytorch_hessian as ph
spec = json.load(open(f"{sys.argv[1]}/proofs-data/specs/{sys.argv[2]}.json"))
rng = random.Random(int(sys.argv[3]))
json.dump({n: f"{rng.randint(-9, 9)}/{rng.randint(1, 8)}" for n in ph.parameter_names(spec)}, open("point.json", "w"))
PY
    /usr/bin/python3 "$root/anchors/pytorch_hessian.py" "$root/proofs-data/specs/$name.json" point.json out >/dev/null
    verdict=$($VL audit "$root/proofs-data/specs/$name.json" --at point.json --gradient out/gradient.npy --hessian out/hessian.npy 2>err.txt | head -1 | cut -d: -f1 || true)
    # A point on a kink (an mae residual or a relu pre-activation exactly 0) has no derivative: vl refuses it, PyTorch
    # returns a subgradient. Neither is compared there; it is counted apart, never as agreement.
    if [ -z "$verdict" ] && grep -q "kink" err.txt; then kinks=$((kinks + 1)); echo "$name seed $seed: kink (vl: $(cut -d: -f4- err.txt))"; continue; fi
    runs=$((runs + 1))
    if [ "$verdict" != "matches" ] && [ "$verdict" != "INCONCLUSIVE" ]; then bad=$((bad + 1)); fi
    echo "$name seed $seed: $verdict"
  done
done
echo "$((runs - bad)) of $runs audits agree with PyTorch (no mismatch); $kinks points on a kink, not compared"
[ "$bad" -eq 0 ]
