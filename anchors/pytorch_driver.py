"""vl crosscheck driver for PyTorch: autograd's gradient, Hessian and Hessian-vector product of a vl network.

    vl crosscheck --against 'python3 anchors/pytorch_driver.py [--device cuda] [--dtype float32] [--mutate BUG]'

Follows vl crosscheck's protocol (docs/CROSSCHECK.md): reads the network from $VL_SPEC, θ from $VL_POINT and the
direction v from $VL_VECTOR (.npy, float64, vl's parameter order), and writes into $VL_OUT what $VL_WANT asks for:
gradient.npy (torch.autograd.grad), hessian.npy (torch.autograd.functional.hessian), hvp.npy
(torch.autograd.functional.hvp), in the dtype it computed in. The network is pytorch_hessian.build's (the
same one vl's other PyTorch oracles use). --device picks where it runs (cpu, cuda, cuda:1, ...), so the same
script checks CUDA code on a GPU machine.

--mutate plants a known bug, so that vl's own tests can show a cross-check catches it:
  drop-output-bias    the output bias's gradient (and its H v entries and Hessian rows and columns) left at zero,
                      as a backward pass that forgets a bias term
  float32-as-float64  computes in float32 but saves float64 arrays: precision silently lost
"""
import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pytorch_hessian as ph  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--device", default="cpu")
    p.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    p.add_argument("--mutate", choices=["drop-output-bias", "float32-as-float64"])
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    ph.DEVICE = args.device
    ph.DTYPE = torch.float32 if args.dtype == "float32" or args.mutate == "float32-as-float64" else torch.float64
    saved = np.float64 if args.mutate == "float32-as-float64" else (np.float32 if ph.DTYPE == torch.float32 else np.float64)
    import json
    with open(os.environ["VL_SPEC"]) as f:
        spec = json.load(f)
    want = os.environ.get("VL_WANT", "gradient").split(",")
    out = os.environ["VL_OUT"]
    os.makedirs(out, exist_ok=True)
    loss = ph.build(spec)
    theta = torch.tensor(np.load(os.environ["VL_POINT"]), dtype=ph.DTYPE, device=args.device)
    lost = []  # indices a planted bug zeroes
    if args.mutate == "drop-output-bias":
        depth = len(spec["widths"]) - 1
        lost = [i for i, n in enumerate(ph.parameter_names(spec)) if n.startswith(f"b{depth}[")]

    def save(name, tensor):
        np.save(os.path.join(out, name), tensor.detach().cpu().numpy().astype(saved))

    t = theta.clone().requires_grad_(True)
    g, = torch.autograd.grad(loss(t), t)
    g[lost] = 0
    save("gradient.npy", g)
    if "hessian" in want:
        h = torch.autograd.functional.hessian(loss, theta)
        h[lost, :] = 0
        h[:, lost] = 0
        save("hessian.npy", h)
    if "hvp" in want:
        v = torch.tensor(np.load(os.environ["VL_VECTOR"]), dtype=ph.DTYPE, device=args.device)
        _, hv = torch.autograd.functional.hvp(loss, theta, v)
        hv[lost] = 0
        save("hvp.npy", hv)


if __name__ == "__main__":
    sys.exit(main())
