"""Multi-Adds of a network for one input, counted the way the lightweight-SR tables count them:
every nn.Conv2d and nn.Linear multiply-accumulate (as hook-based counters such as thop do), plus,
reported separately, the attention matmuls (q k^T and attn v), which such counters miss.

    /usr/bin/python3 -m promptsr_torch.complexity --scale 4 --output 1280x720
"""
import argparse

import torch
import torch.nn as nn

from .model import GlobalAnchorPromptingLayer, LocalPromptingLayer, build


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


def multi_adds(model, h: int, w: int):
    """(layer MACs, attention MACs) for an h x w input.  Every Conv2d/Linear works on the padded
    grid (or on anchors, a fixed fraction of it), so layer MACs are exactly proportional to the
    padded token count: they are measured on one small input and scaled."""
    probe = model.multiple * 2
    per_token = layer_macs(model, torch.rand(1, 3, probe, probe)) / padded_tokens(model, probe, probe)
    return int(round(per_token * padded_tokens(model, h, w))), attention_macs(model, h, w)


def attention_macs(model, h: int, w: int) -> int:
    """Analytic count of the attention matmuls on the padded h x w input."""
    mult = model.multiple
    hp, wp = -(-h // mult) * mult, -(-w // mult) * mult
    tokens = hp * wp
    total = 0
    for m in model.modules():
        if isinstance(m, GlobalAnchorPromptingLayer):
            c = m.qkv.in_features
            anchors = tokens // (m.downscale ** 2)
            total += 4 * anchors * tokens * c  # M_coarse, P, M_fine, X_p
        elif isinstance(m, LocalPromptingLayer):
            c = m.qkv.in_features
            total += 2 * tokens * m.window * m.window * c + 2 * tokens * m.group * c
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=4)
    ap.add_argument("--variant", default="promptsr")
    ap.add_argument("--output", default="1280x720")
    args = ap.parse_args()
    ow, oh = (int(v) for v in args.output.split("x"))
    model = build(args.variant, args.scale).eval()
    h, w = oh // args.scale, ow // args.scale
    layers, attn = multi_adds(model, h, w)
    print(f"{args.variant} x{args.scale}, {w}x{h} input -> {ow}x{oh}: layers {layers / 1e9:.1f}G, "
          f"attention matmuls {attn / 1e9:.1f}G, total {(layers + attn) / 1e9:.1f}G Multi-Adds")


if __name__ == "__main__":
    main()
