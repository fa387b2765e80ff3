import pytest
import torch

from promptsr_torch import model as M
from promptsr_torch.model import build, count_parameters

# Table I of the paper
TABLE_I = {("promptsr", 2): 764e3, ("promptsr", 3): 770e3, ("promptsr", 4): 779e3,
           ("promptsr-star", 2): 982e3, ("promptsr-star", 3): 989e3, ("promptsr-star", 4): 998e3}


@pytest.mark.parametrize("variant,scale", sorted(TABLE_I))
def test_parameter_count_within_3_percent_of_table_1(variant, scale):
    n = count_parameters(build(variant, scale))
    assert abs(n - TABLE_I[(variant, scale)]) / TABLE_I[(variant, scale)] < 0.03, n


@pytest.mark.parametrize("scale", [2, 3, 4])
def test_odd_sizes_give_exact_output_shape(scale):
    m = build("promptsr", scale).eval()
    for h, w in [(37, 53), (1, 1), (17, 5)]:
        with torch.no_grad():
            y = m(torch.rand(2, 3, h, w))
        assert y.shape == (2, 3, scale * h, scale * w)


def test_mirror_padding_is_reflect_101_for_any_size():
    assert M.mirror_indices(4, 10, torch.device("cpu")).tolist() == [0, 1, 2, 3, 2, 1, 0, 1, 2, 3]
    assert M.mirror_indices(1, 3, torch.device("cpu")).tolist() == [0, 0, 0]


def test_categorize_uncategorize_is_an_exact_inverse():
    gen = torch.Generator().manual_seed(0)
    cat = torch.randint(0, 7, (3, 512), generator=gen)
    x = torch.randn(3, 512, 5, generator=gen)
    perm = M.categorize(cat)
    sorted_x = M.gather_tokens(x, perm)
    assert torch.all(torch.diff(torch.gather(cat, 1, perm), dim=1) >= 0), "sorted by category"
    back = M.gather_tokens(sorted_x, M.uncategorize_index(perm))
    assert torch.equal(back, x)


def test_category_attention_is_equivariant_to_token_order():
    """CSA depends on categories, not on where tokens sit: permuting tokens that share one
    category inside a sub-category permutes the output the same way."""
    torch.manual_seed(0)
    lpl = M.LocalPromptingLayer(48, 4, 16, 128).eval()
    qkv = torch.randn(1, 256, 144)
    cat = torch.zeros(1, 256, dtype=torch.long)
    cat[:, 128:] = 1
    perm = torch.cat([torch.randperm(128), 128 + torch.randperm(128)])
    out = lpl.category_attention(qkv, cat)
    out_perm = lpl.category_attention(qkv[:, perm], cat)
    assert torch.allclose(out[:, perm], out_perm, atol=1e-5)


def test_anchor_prompt_update_stays_inside_each_residual_group():
    m = build("promptsr", 2).eval()
    seen = []  # (rg, block, previous given, previous is the P of the block before in this RG)
    outputs = {}
    for g, rg in enumerate(m.groups):
        for b, block in enumerate(rg.blocks):
            def pre(mod, args, g=g, b=b):
                prev = args[3]
                seen.append((g, b, prev is not None, prev is not None and prev is outputs.get((g, b - 1))))

            def post(mod, args, out, g=g, b=b):
                outputs[(g, b)] = out[1]
            block.gapl.register_forward_pre_hook(pre)
            block.gapl.register_forward_hook(post)
    with torch.no_grad():
        m(torch.rand(1, 3, 24, 24))
    for g, b, given, chained in seen:
        assert given == (b > 0), f"RG {g} block {b}"
        if b > 0:
            assert chained, f"RG {g} block {b} did not get the previous block's prompts"


def test_anchor_update_mixes_with_alpha():
    torch.manual_seed(1)
    gapl = M.GlobalAnchorPromptingLayer(48, 4, 8, 0.01).eval()
    x = torch.randn(1, 256, 48)
    prev = torch.randn(1, 4, 48)
    with torch.no_grad():
        _, fresh, _, _ = gapl(x, 16, 16, None)
        _, mixed, _, _ = gapl(x, 16, 16, prev)
    assert torch.allclose(mixed, 0.01 * prev + 0.99 * fresh, atol=1e-6)


def test_eval_mode_is_deterministic():
    m = build("promptsr", 3).eval()
    x = torch.rand(1, 3, 20, 30)
    with torch.no_grad():
        assert torch.equal(m(x), m(x))


def test_gradient_reaches_every_parameter():
    torch.manual_seed(0)
    m = build("promptsr", 2)
    loss = (m(torch.rand(2, 3, 32, 32)) - torch.rand(2, 3, 64, 64)).abs().mean()
    loss.backward()
    missing = [n for n, p in m.named_parameters() if p.grad is None or not torch.any(p.grad != 0)]
    assert not missing, missing


def test_window_baseline_has_no_prompting_layers_and_learns_everywhere():
    m = build("promptsr", 2, baseline=True)
    assert not any(isinstance(x, M.GlobalAnchorPromptingLayer) for x in m.modules())
    (m(torch.rand(1, 3, 16, 16)).mean()).backward()
    assert all(p.grad is not None for p in m.parameters())


def test_scripted_model_matches_eager_and_exports_anchor_prompts():
    m = build("promptsr", 2).eval()
    s = torch.jit.script(m)
    x = torch.rand(1, 3, 19, 23)
    with torch.no_grad():
        assert torch.allclose(s(x), m(x), atol=1e-6)
        p = s.anchor_prompts(x)
    # padded to 32x32 -> (32/8) * (32/8) = 16 anchors of 48 channels
    assert len(p) == 4 and all(t.shape == (1, 16, 48) for t in p)
