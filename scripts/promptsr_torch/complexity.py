"""Multi-Adds of a network for one input, in three countings:

- `layers`: every nn.Conv2d and nn.Linear multiply-accumulate, as hook-based counters (thop) do.
- `attention`: the attention matmuls those counters miss, counted in full (q k^T and attn v over all
  heads): WSA (tokens x window^2 x C x 2), CSA (tokens x 128 x C x 2) and GAPL (4 matmuls of
  anchors x tokens x C: M_coarse, P, M_fine, X_p).
- `paper`: the convention the paper's own numbers follow.  The paper does not say how it counts, but
  its ablation tables give five Multi-Adds values of PromptSR variants (Table V: d = 2, 4, 8;
  Table VII: window 8, 16; all N = 2 at x4).  Their excess over our `layers` count is, to 0.2 %,
  (WSA + CSA) / 8.3 + GAPL / 32.3 (least squares over those four rows).  1/8 is one matmul of one of
  the four heads (tokens x partners x C/4); GAPL's 1/32 is half of that for one of its four matmuls.
  We round the two factors to 1/8 and 1/32.  Fitted on the ablation rows only, this predicts 53.5 G
  for the full x4 PromptSR, Table I's value: see tests/test_complexity.py.

    /usr/bin/python3 -m promptsr_torch.complexity --scale 4 --output 1280x720
"""
import argparse
from dataclasses import dataclass

import torch
import torch.nn as nn

from .model import GlobalAnchorPromptingLayer, LocalPromptingLayer, build

WINDOW_FACTOR = 1 / 8   # share of full WSA/CSA matmul MACs in the paper's counting
ANCHOR_FACTOR = 1 / 32  # share of full GAPL matmul MACs in the paper's counting


@dataclass
class MultiAdds:
    layers: int
    wsa: int
    csa: int
    gapl: int

    @property
    def attention(self) -> int:
        return self.wsa + self.csa + self.gapl

    @property
    def paper(self) -> float:
        return self.layers + WINDOW_FACTOR * (self.wsa + self.csa) + ANCHOR_FACTOR * self.gapl


def layer_macs(model: nn.Module, x: torch.Tensor) -> int:
    total = [0]

    def conv_hook(m, inp, out):
        k = m.kernel_size[0] * m.kernel_size[1] * (m.in_channels // m.groups)
        total[0] += out.numel() * k

    def linear_hook(m, inp, out):
        total[0] += out.numel() * m.in_features

    handles = []
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            handles.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, nn.Linear):
            handles.append(m.register_forward_hook(linear_hook))
    with torch.no_grad():
        model(x)
    for h in handles:
        h.remove()
    return total[0]


def padded_tokens(model, h: int, w: int) -> int:
    mult = model.multiple
    return (-(-h // mult) * mult) * (-(-w // mult) * mult)


def multi_adds(model, h: int, w: int) -> MultiAdds:
    """Multi-Adds for an h x w input.  Every Conv2d/Linear works on the padded grid (or on anchors,
    a fixed fraction of it), so layer MACs are exactly proportional to the padded token count: they
    are measured on one small input and scaled.  Attention matmuls are counted analytically."""
    probe = model.multiple * 2
    per_token = layer_macs(model, torch.rand(1, 3, probe, probe)) / padded_tokens(model, probe, probe)
    tokens = padded_tokens(model, h, w)
    wsa = csa = gapl = 0
    for m in model.modules():
        if isinstance(m, GlobalAnchorPromptingLayer):
            gapl += 4 * (tokens // m.downscale ** 2) * tokens * m.qkv.in_features
        elif isinstance(m, LocalPromptingLayer):
            c = m.qkv.in_features
            wsa += 2 * tokens * m.window * m.window * c
            csa += 2 * tokens * m.group * c
    return MultiAdds(int(round(per_token * tokens)), wsa, csa, gapl)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=4)
    ap.add_argument("--variant", default="promptsr")
    ap.add_argument("--output", default="1280x720")
    args = ap.parse_args()
    ow, oh = (int(v) for v in args.output.split("x"))
    model = build(args.variant, args.scale).eval()
    h, w = oh // args.scale, ow // args.scale
    m = multi_adds(model, h, w)
    g = 1e9
    print(f"{args.variant} x{args.scale}, {w}x{h} input -> {ow}x{oh}:\n"
          f"  Conv2d+Linear        {m.layers / g:.1f}G\n"
          f"  attention matmuls    {m.attention / g:.1f}G (WSA {m.wsa / g:.1f}G, CSA {m.csa / g:.1f}G, GAPL {m.gapl / g:.1f}G)\n"
          f"  paper's convention   {m.paper / g:.1f}G (Conv2d+Linear + (WSA+CSA)/8 + GAPL/32)")


if __name__ == "__main__":
    main()
