#!/usr/bin/env bash
# Oracle (not part of the default tests): float32 PyTorch gradients of a sigmoid cross-entropy network at 20 random
# points must all "match" under vl audit's float32 error model, and a 0.1 % error on the largest entry must be flagged.
# Needs Debian's python3-torch (installed here when missing). Usage: anchors/audit_float32_oracle.sh
set -euo pipefail
source "$(dirname "$0")/oracle-setup.sh"
/usr/bin/python3 - <<'PY'
import json, random
random.seed(5)
x = [[f"{random.randint(-20, 20)}/10" for _ in range(4)] for _ in range(16)]
y = [["1", "0", "0"], ["0", "1", "0"], ["0", "0", "1"]] * 6
spec = {"widths": [4, 8, 8, 3], "activation": "sigmoid", "outputActivation": "identity", "bias": True,
        "loss": "cross-entropy", "weightDecay": "0", "data": {"x": x, "y": y[:16]}}
json.dump(spec, open("ce.json", "w"))
PY
match=0; flagged=0
for s in $(seq 1 20); do
  /usr/bin/python3 - "$s" "$root" <<'PY'
import json, random, sys
sys.path.insert(0, sys.argv[2] + "/anchors")
from pytorch_hessian import parameter_names
spec = json.load(open("ce.json")); random.seed(int(sys.argv[1]))
json.dump({n: f"{random.randint(-30, 30)}/{random.randint(5, 20)}" for n in parameter_names(spec)}, open("point.json", "w"))
PY
  /usr/bin/python3 "$root/anchors/pytorch_hessian.py" ce.json point.json out --dtype float32 --no-hessian >/dev/null
  /usr/bin/python3 -c "import numpy as np; g=np.load('out/gradient.npy'); i=int(np.argmax(np.abs(g))); g[i]*=1.001; np.save('out/perturbed.npy', g)"
  if $VL audit ce.json --at point.json --gradient out/gradient.npy >/dev/null; then match=$((match+1)); fi
  set +e; $VL audit ce.json --at point.json --gradient out/perturbed.npy >/dev/null; [ $? -eq 1 ] && flagged=$((flagged+1)); set -e
done
echo "correct float32 PyTorch gradients: $match of 20 match; 0.1 % error on the largest entry: $flagged of 20 flagged"
