"""PromptSR: cascade prompting for lightweight image super-resolution.

One class per concept of the paper (section III): GlobalAnchorPromptingLayer (GAPL, eqs. 6-12),
LocalPromptingLayer (LPL, eqs. 13-16) with window self-attention (WSA) and category-based
self-attention (CSA), CascadePromptingBlock (CPB), ResidualGroup (RG) and PromptSR itself.

Choices where the paper is silent (also listed in models/README.md):
- Tokens are [B, L, C] with L = H*W in row-major order; every attention is multi-head (4 heads
  of 12 channels) and scaled by 1/sqrt(head_dim), the usual multi-head form of the paper's
  1/sqrt(C).  The scale is folded into the query before the matmul.
- Anchors: X is average-pooled by d (as GRL's default anchor projection) after the layer's
  LayerNorm, then projected by W^A.
- Categories for CSA come from the similarity summed over heads (which equals the dot product
  over all C channels): coarse = argmax over anchors of M_coarse's column, fine = argmax over
  anchors of M_fine's row.  Tokens are stably sorted by category and cut into sub-categories of
  `group` tokens.
- Each layer is pre-norm (LayerNorm, then attention, residual).  WSA and CSA in one LPL share
  their qkv projection (X' = WSA(X) + CSA(X, M) + X), each has its own output projection.
- No relative position bias and no shifted windows; instead each FFN (ratio 1) carries a 3x3
  depthwise convolution between its two linear layers, which gives the attention layers
  positional information at 480 parameters per FFN.
- Decoder: one 3x3 conv to 3*s^2 channels and PixelShuffle (Table I's x2/x3/x4 differences).
- Input: [N,3,H,W] in [0,1]; the DIV2K mean is subtracted and added back; the input is mirror
  padded (reflect-101, any size >= 1) at the bottom/right to a multiple of lcm(window, d) and
  the output cropped to sH x sW.
"""
import math
from typing import List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

RGB_MEAN = (0.4488, 0.4371, 0.4040)


def mirror_indices(n: int, total: int, device: torch.device) -> Tensor:
    """Indices 0..total-1 folded into 0..n-1 by reflect-101 mirroring (works for any n >= 1)."""
    idx = torch.arange(total, device=device)
    if n == 1:
        return torch.zeros_like(idx)
    period = 2 * (n - 1)
    idx = idx % period
    return torch.where(idx < n, idx, period - idx)


def pad_to_multiple(x: Tensor, multiple: int) -> Tensor:
    h, w = x.shape[-2], x.shape[-1]
    hp = (h + multiple - 1) // multiple * multiple
    wp = (w + multiple - 1) // multiple * multiple
    if hp != h:
        x = x.index_select(2, mirror_indices(h, hp, x.device))
    if wp != w:
        x = x.index_select(3, mirror_indices(w, wp, x.device))
    return x


def split_heads(t: Tensor, heads: int) -> Tensor:
    """[B, L, C] -> [B, heads, L, C/heads]"""
    b, n, c = t.shape
    return t.reshape(b, n, heads, c // heads).transpose(1, 2)


def merge_heads(t: Tensor) -> Tensor:
    """[B, heads, L, c] -> [B, L, heads*c]"""
    b, nh, n, c = t.shape
    return t.transpose(1, 2).reshape(b, n, nh * c)


def attend(q: Tensor, k: Tensor, v: Tensor) -> Tensor:
    """softmax(q k^T) v with q already scaled."""
    return torch.softmax(q @ k.transpose(-2, -1), dim=-1) @ v


def window_attention(qkv: Tensor, h: int, w: int, heads: int, window: int, scale: float) -> Tensor:
    """Self-attention inside non-overlapping window x window squares; qkv [B, L, 3C] -> [B, L, C]."""
    b, n, c3 = qkv.shape
    c = c3 // 3
    ws = window
    hd = c // heads
    t = qkv.reshape(b, h // ws, ws, w // ws, ws, 3, heads, hd)
    t = t.permute(5, 0, 1, 3, 6, 2, 4, 7).reshape(3, -1, heads, ws * ws, hd)
    q, k, v = t.unbind(0)  # unbind: its backward stacks, where indexing would zero-fill and add
    out = attend(q * scale, k, v)  # [B*nW, heads, ws*ws, hd]
    out = out.reshape(b, h // ws, w // ws, heads, ws, ws, hd)
    return out.permute(0, 1, 4, 2, 5, 3, 6).reshape(b, n, c)


def categorize(category: Tensor) -> Tensor:
    """Permutation [B, L] that sorts tokens by category (stable, so ties keep raster order)."""
    return torch.sort(category, dim=-1, stable=True)[1]


def uncategorize_index(perm: Tensor) -> Tensor:
    """Inverse permutation: gathering sorted tokens with it restores the original order."""
    inverse = torch.empty_like(perm)
    arange = torch.arange(perm.shape[1], device=perm.device).unsqueeze(0).expand_as(perm)
    return inverse.scatter_(1, perm, arange)


def gather_tokens(x: Tensor, index: Tensor) -> Tensor:
    return torch.gather(x, 1, index.unsqueeze(-1).expand(-1, -1, x.shape[-1]))


class LayerNorm(nn.LayerNorm):
    """nn.LayerNorm that normalises reduced-precision input in float32.  torch 1.13's bfloat16
    layer_norm on CPU is unvectorised: 18 ms against 3.3 ms through float32 for a 16x1024x48 batch
    on one core, a seventh of a bf16 training step.  Float32 input takes the stock path."""

    def forward(self, x: Tensor) -> Tensor:
        if x.dtype == torch.float32:
            return F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
        return F.layer_norm(x.float(), self.normalized_shape, self.weight.float(), self.bias.float(),
                            self.eps).to(x.dtype)


class FeedForward(nn.Module):
    """LN -> Linear -> GELU -> (+ depthwise 3x3 conv) -> Linear, with the block residual."""

    def __init__(self, dim: int, hidden: int):
        super().__init__()
        self.norm = LayerNorm(dim)
        self.fc1 = nn.Linear(dim, hidden)
        self.dwconv = nn.Conv2d(hidden, hidden, 3, padding=1, groups=hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x: Tensor, h: int, w: int) -> Tensor:
        y = F.gelu(self.fc1(self.norm(x)))
        b, n, c = y.shape
        img = y.transpose(1, 2).reshape(b, c, h, w)
        y = y + self.dwconv(img).flatten(2).transpose(1, 2)
        return x + self.fc2(y)


class GlobalAnchorPromptingLayer(nn.Module):
    """GAPL: anchors from X downscaled by d, anchor prompts P by cross-attention (eqs. 6-7),
    prompt update with the previous CPB (eq. 8), anchor prompting of every token (eqs. 9-11)."""

    def __init__(self, dim: int, heads: int, downscale: int, alpha: float):
        super().__init__()
        self.heads = heads
        self.downscale = downscale
        self.alpha = alpha
        self.scale = (dim // heads) ** -0.5
        self.norm = LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.anchor = nn.Linear(dim, dim)
        self.kv_prompt = nn.Linear(dim, 2 * dim)
        self.proj = nn.Linear(dim, dim)  # the paper's output projection conv (1x1)

    def forward(self, x: Tensor, h: int, w: int, previous: Optional[Tensor]
                ) -> Tuple[Tensor, Tensor, Tensor, Tensor]:
        """Returns (X_p, P [B, h*w/d^2, C], coarse category [B, L], fine category [B, L])."""
        b, n, c = x.shape
        xn = self.norm(x)
        q, k, v = self.qkv(xn).chunk(3, dim=-1)
        q = split_heads(q * self.scale, self.heads)
        k = split_heads(k, self.heads)
        v = split_heads(v, self.heads)
        pooled = F.avg_pool2d(xn.transpose(1, 2).reshape(b, c, h, w), self.downscale)
        a = split_heads(self.anchor(pooled.flatten(2).transpose(1, 2)), self.heads)

        m_coarse = (a * self.scale) @ k.transpose(-2, -1)           # [B, heads, La, L]
        prompts = merge_heads(torch.softmax(m_coarse, dim=-1) @ v)  # [B, La, C]
        if previous is not None:
            prompts = self.alpha * previous + (1.0 - self.alpha) * prompts

        k_p, v_p = self.kv_prompt(prompts).chunk(2, dim=-1)
        m_fine = q @ (split_heads(k_p, self.heads) + a).transpose(-2, -1)  # [B, heads, L, La]
        x_p = merge_heads(torch.softmax(m_fine, dim=-1) @ split_heads(v_p, self.heads))

        coarse = m_coarse.sum(1).argmax(dim=1)
        fine = m_fine.sum(1).argmax(dim=-1)
        return x + self.proj(x_p), prompts, coarse, fine


class LocalPromptingLayer(nn.Module):
    """LPL: X' = WSA(X) + CSA(X, M) + X (eqs. 13 and 15)."""

    def __init__(self, dim: int, heads: int, window: int, group: int):
        super().__init__()
        self.heads = heads
        self.window = window
        self.group = group
        self.scale = (dim // heads) ** -0.5
        self.norm = LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj_window = nn.Linear(dim, dim)
        self.proj_category = nn.Linear(dim, dim)

    def category_attention(self, qkv: Tensor, category: Tensor) -> Tensor:
        b, n, c3 = qkv.shape
        c = c3 // 3
        hd = c // self.heads
        perm = categorize(category)
        t = gather_tokens(qkv, perm)
        g = self.group
        pad = (g - n % g) % g
        if pad > 0:  # only when the sub-category size does not divide L: wrap the sorted sequence
            t = t.index_select(1, torch.arange(n + pad, device=t.device) % n)
        m = t.shape[1]
        t = t.reshape(b, m // g, g, 3, self.heads, hd).permute(3, 0, 1, 4, 2, 5)
        q, k, v = t.unbind(0)
        out = attend(q * self.scale, k, v)  # [B, groups, heads, g, hd]
        out = out.permute(0, 1, 3, 2, 4).reshape(b, m, c)[:, :n]
        return gather_tokens(out, uncategorize_index(perm))

    def forward(self, x: Tensor, h: int, w: int, category: Tensor) -> Tensor:
        qkv = self.qkv(self.norm(x))
        return (x + self.proj_window(window_attention(qkv, h, w, self.heads, self.window, self.scale))
                + self.proj_category(self.category_attention(qkv, category)))


class WindowLayer(nn.Module):
    """Plain WSA layer: the ablation baseline (Table IV) that replaces GAPL/LPL."""

    def __init__(self, dim: int, heads: int, window: int):
        super().__init__()
        self.heads = heads
        self.window = window
        self.scale = (dim // heads) ** -0.5
        self.norm = LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: Tensor, h: int, w: int) -> Tensor:
        qkv = self.qkv(self.norm(x))
        return x + self.proj(window_attention(qkv, h, w, self.heads, self.window, self.scale))


class CascadePromptingBlock(nn.Module):
    """CPB: GAPL -> LPL(M_coarse) -> LPL(M_fine), each followed by LN + FFN with residual."""

    def __init__(self, dim: int, heads: int, window: int, group: int, downscale: int,
                 alpha: float, mlp_ratio: float):
        super().__init__()
        hidden = int(dim * mlp_ratio)
        self.gapl = GlobalAnchorPromptingLayer(dim, heads, downscale, alpha)
        self.ffn_anchor = FeedForward(dim, hidden)
        self.lpl_coarse = LocalPromptingLayer(dim, heads, window, group)
        self.ffn_coarse = FeedForward(dim, hidden)
        self.lpl_fine = LocalPromptingLayer(dim, heads, window, group)
        self.ffn_fine = FeedForward(dim, hidden)

    def forward(self, x: Tensor, h: int, w: int, previous: Optional[Tensor]) -> Tuple[Tensor, Tensor]:
        x, prompts, coarse, fine = self.gapl(x, h, w, previous)
        x = self.ffn_anchor(x, h, w)
        x = self.ffn_coarse(self.lpl_coarse(x, h, w, coarse), h, w)
        x = self.ffn_fine(self.lpl_fine(x, h, w, fine), h, w)
        return x, prompts


def silence_residual_branches(block: CascadePromptingBlock):
    """Zeroes the output projection of each of the block's six residual branches: the block then passes
    its tokens through unchanged (its anchor prompts still flow on).  A PromptSR* (N = 4) started from a
    trained PromptSR (N = 3) with its fourth CPBs silenced computes exactly what that model does; the
    zeroed projections get gradients at once, so training grows the new blocks from there."""
    for linear in (block.gapl.proj, block.ffn_anchor.fc2,
                   block.lpl_coarse.proj_window, block.lpl_coarse.proj_category, block.ffn_coarse.fc2,
                   block.lpl_fine.proj_window, block.lpl_fine.proj_category, block.ffn_fine.fc2):
        nn.init.zeros_(linear.weight)
        nn.init.zeros_(linear.bias)


class WindowBlock(nn.Module):
    """Baseline block with the same layout as a CPB but three plain WSA layers."""

    def __init__(self, dim: int, heads: int, window: int, mlp_ratio: float):
        super().__init__()
        hidden = int(dim * mlp_ratio)
        self.layers = nn.ModuleList([WindowLayer(dim, heads, window) for _ in range(3)])
        self.ffns = nn.ModuleList([FeedForward(dim, hidden) for _ in range(3)])

    def forward(self, x: Tensor, h: int, w: int, previous: Optional[Tensor]) -> Tuple[Tensor, Tensor]:
        for layer, ffn in zip(self.layers, self.ffns):
            x = ffn(layer(x, h, w), h, w)
        return x, x.new_zeros(0)


class ResidualGroup(nn.Module):
    """RG: N CPBs sharing an anchor-prompt chain (reset here, at every RG) + 3x3 conv + residual."""

    def __init__(self, dim: int, blocks: int, heads: int, window: int, group: int,
                 downscale: int, alpha: float, mlp_ratio: float, baseline: bool):
        super().__init__()
        if baseline:
            self.blocks = nn.ModuleList([WindowBlock(dim, heads, window, mlp_ratio)
                                         for _ in range(blocks)])
        else:
            self.blocks = nn.ModuleList([
                CascadePromptingBlock(dim, heads, window, group, downscale, alpha, mlp_ratio)
                for _ in range(blocks)])
        self.conv = nn.Conv2d(dim, dim, 3, padding=1)

    def forward(self, x: Tensor) -> Tuple[Tensor, Tensor]:
        b, c, h, w = x.shape
        t = x.flatten(2).transpose(1, 2)
        prompts: Optional[Tensor] = None
        last = x.new_zeros(0)
        for block in self.blocks:
            t, last = block(t, h, w, prompts)
            prompts = last
        return x + self.conv(t.transpose(1, 2).reshape(b, c, h, w)), last


class PromptSR(nn.Module):
    def __init__(self, scale: int = 4, dim: int = 48, groups: int = 4, blocks: int = 3,
                 heads: int = 4, window: int = 16, group: int = 128, downscale: int = 8,
                 alpha: float = 0.01, mlp_ratio: float = 1.0, baseline: bool = False):
        super().__init__()
        self.scale = scale
        self.multiple = window * downscale // math.gcd(window, downscale)
        self.register_buffer("mean", torch.tensor(RGB_MEAN).view(1, 3, 1, 1))
        self.encoder = nn.Conv2d(3, dim, 3, padding=1)
        self.groups = nn.ModuleList([
            ResidualGroup(dim, blocks, heads, window, group, downscale, alpha, mlp_ratio, baseline)
            for _ in range(groups)])
        self.conv_after_body = nn.Conv2d(dim, dim, 3, padding=1)
        self.decoder = nn.Sequential(nn.Conv2d(dim, 3 * scale * scale, 3, padding=1),
                                     nn.PixelShuffle(scale))

    # head, body and tail are separate so that training can run the body alone in bf16 (train.py).
    def head(self, x: Tensor) -> Tensor:
        return self.encoder(pad_to_multiple(x, self.multiple) - self.mean)

    def body(self, x0: Tensor) -> Tuple[Tensor, List[Tensor]]:
        t = x0
        prompts: List[Tensor] = []
        for rg in self.groups:
            t, p = rg(t)
            prompts.append(p)
        return t, prompts

    def decoder_input(self, t: Tensor, x0: Tensor) -> Tensor:
        return self.conv_after_body(t) + x0

    def tail(self, t: Tensor, x0: Tensor, h: int, w: int) -> Tensor:
        out = self.decoder(self.decoder_input(t, x0)) + self.mean
        return out[:, :, : h * self.scale, : w * self.scale]

    def forward(self, x: Tensor) -> Tensor:
        x0 = self.head(x)
        t, _ = self.body(x0)
        return self.tail(t, x0, x.shape[-2], x.shape[-1])

    @torch.jit.export
    def anchor_prompts(self, x: Tensor) -> List[Tensor]:
        """P from the last CPB of each RG: 4 tensors [N, ceil(H/16)*ceil(W/16)*4, C]
        (one row per anchor of the padded input, raster order, C = 48 channels)."""
        _, prompts = self.body(self.head(x))
        return prompts


VARIANTS = {"promptsr": 3, "promptsr-star": 4}


def build(variant: str, scale: int, **overrides) -> PromptSR:
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; choose one of {sorted(VARIANTS)}")
    if scale not in (2, 3, 4):
        raise ValueError(f"scale must be 2, 3 or 4, got {scale}")
    config = dict(scale=scale, blocks=VARIANTS[variant])
    config.update(overrides)
    return PromptSR(**config)


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
