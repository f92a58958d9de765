#!/usr/bin/python3
"""
A FULL-SIZE Piper "medium" voice with RANDOM weights, for timing only (`npm run bench:tts`).

Speed does not depend on weight values, so this builds Piper's VITS inference graph
(rhasspy/piper piper_train/vits: SynthesizerTrn.infer) at the medium quality's sizes, fills it with
seeded random weights and exports it the way piper_train/export_onnx.py does:

    OUT/model.onnx        input int64 [1,T], input_lengths int64 [1], scales float32 [3]
                          (noise_scale, length_scale, noise_w) -> output float32 [1,1,1,samples]
    OUT/model.onnx.json   the piper-vits-random fixture's voice config (22,050 Hz, en-us, the
                          154-symbol espeak phoneme_id_map of en_US-lessac-medium, 256 symbols)

Medium sizes (piper_train/vits/lightning.py defaults): hidden and inter channels 192, filter 768,
2 heads, 6 text-encoder layers with relative attention (window 4), kernel 3; stochastic duration
predictor (4 flows); 4 residual coupling flows with 4-layer WaveNets; HiFi-GAN with ResBlock2,
kernels 3/5/7, dilations (1,2)/(2,6)/(3,12), upsample rates 8,8,4 (256 samples a frame), first
channel 256, upsample kernels 16,16,8. The posterior encoder is training-only and not exported.
Its audio is noise. Run with Debian's python (torch 1.13, onnx 1.12):

    flock /tmp/parla-heavy.lock /usr/bin/python3 scripts/bench/make-piper-random.py

Differences that do not change the work per call: weight norm folded into plain weights, no
dropout, and the spline flows compute both branches and pick with `where` instead of indexing
with a boolean mask (the same elementwise work on a [1, 1, T] tensor).
"""

import argparse
import json
import math
import os
import shutil
import sys

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils import remove_weight_norm, weight_norm

MIRROR = os.environ.get("MODEL_MIRROR_DIR", "/work/shared/models")
HOP = 256
SAMPLE_RATE = 22_050
MEDIUM = dict(
    hidden=192, inter=192, filter=768, heads=2, layers=6, kernel=3, window=4,
    resblock_kernels=(3, 5, 7), resblock_dilations=((1, 2), (2, 6), (3, 12)),
    upsample_rates=(8, 8, 4), upsample_initial=256, upsample_kernels=(16, 16, 8),
)
# The duration predictor's last affine step sets the mean log-duration per phoneme id (ids put a
# pad after every phoneme). 0.2 gives about 185 words a minute on the bench paragraph (bench:tts
# reports the rate), near the full-size Kokoro's 190; 0.55 would be about 135. Erring brisk means
# less model time, so the overhead-to-model ratio measured with it is, if anything, too high.
LOG_DURATION_MEAN = 0.2


def sequence_mask(length, max_length):
    x = torch.arange(max_length, dtype=length.dtype, device=length.device)
    return x.unsqueeze(0) < length.unsqueeze(1)


def generate_path(duration, mask):
    """[b, 1, t_x] durations -> [b, 1, t_y, t_x] monotonic alignment (commons.generate_path)."""
    b, _, t_y, t_x = mask.shape
    cum = torch.cumsum(duration, -1).view(b * t_x)
    path = sequence_mask(cum, t_y).to(mask.dtype).view(b, t_x, t_y)
    path = path - F.pad(path, [0, 0, 1, 0, 0, 0])[:, :-1]
    return path.unsqueeze(1).transpose(2, 3) * mask


class LayerNorm(nn.Module):
    def __init__(self, channels, eps=1e-5):
        super().__init__()
        self.channels, self.eps = channels, eps
        self.gamma = nn.Parameter(torch.ones(channels))
        self.beta = nn.Parameter(torch.zeros(channels))

    def forward(self, x):
        return F.layer_norm(x.transpose(1, -1), (self.channels,), self.gamma, self.beta, self.eps).transpose(1, -1)


class MultiHeadAttention(nn.Module):
    """VITS attention with relative position embeddings shared by the heads (attentions.py)."""

    def __init__(self, channels, n_heads, window):
        super().__init__()
        self.n_heads, self.window = n_heads, window
        self.k_channels = channels // n_heads
        self.conv_q = nn.Conv1d(channels, channels, 1)
        self.conv_k = nn.Conv1d(channels, channels, 1)
        self.conv_v = nn.Conv1d(channels, channels, 1)
        self.conv_o = nn.Conv1d(channels, channels, 1)
        std = self.k_channels**-0.5
        self.emb_rel_k = nn.Parameter(torch.randn(1, window * 2 + 1, self.k_channels) * std)
        self.emb_rel_v = nn.Parameter(torch.randn(1, window * 2 + 1, self.k_channels) * std)

    def relative_embeddings(self, emb, length):
        # As VITS: valid for length >= window + 1 (a Piper input is at least 5 ids).
        pad = length - (self.window + 1)
        return F.pad(emb, [0, 0, pad, pad, 0, 0])[:, : 2 * length - 1]

    @staticmethod
    def rel_to_abs(x):
        b, h, length, _ = x.size()
        x = F.pad(x, [0, 1, 0, 0, 0, 0, 0, 0]).view(b, h, length * 2 * length)
        x = F.pad(x, [0, length - 1, 0, 0, 0, 0])
        return x.view(b, h, length + 1, 2 * length - 1)[:, :, :length, length - 1 :]

    @staticmethod
    def abs_to_rel(x):
        b, h, length, _ = x.size()
        x = F.pad(x, [0, length - 1, 0, 0, 0, 0, 0, 0]).view(b, h, length * length + length * (length - 1))
        x = F.pad(x, [length, 0, 0, 0, 0, 0])
        return x.view(b, h, length, 2 * length)[:, :, :, 1:]

    def forward(self, x, attn_mask):
        q, k, v = self.conv_q(x), self.conv_k(x), self.conv_v(x)
        b, d, t = k.size()
        q = q.view(b, self.n_heads, self.k_channels, t).transpose(2, 3) / math.sqrt(self.k_channels)
        k = k.view(b, self.n_heads, self.k_channels, t).transpose(2, 3)
        v = v.view(b, self.n_heads, self.k_channels, t).transpose(2, 3)
        scores = q @ k.transpose(-2, -1)
        rel_k = self.relative_embeddings(self.emb_rel_k, t)
        scores = scores + self.rel_to_abs(q @ rel_k.unsqueeze(0).transpose(-2, -1))
        scores = scores.masked_fill(attn_mask == 0, -1e4)
        p = F.softmax(scores, dim=-1)
        out = p @ v + self.abs_to_rel(p) @ self.relative_embeddings(self.emb_rel_v, t).unsqueeze(0)
        return self.conv_o(out.transpose(2, 3).contiguous().view(b, d, t))


class FFN(nn.Module):
    def __init__(self, channels, filter_channels, kernel):
        super().__init__()
        self.pad = [(kernel - 1) // 2, kernel // 2]
        self.conv_1 = nn.Conv1d(channels, filter_channels, kernel)
        self.conv_2 = nn.Conv1d(filter_channels, channels, kernel)

    def forward(self, x, mask):
        x = torch.relu(self.conv_1(F.pad(x * mask, self.pad)))
        return self.conv_2(F.pad(x * mask, self.pad)) * mask


class TextEncoder(nn.Module):
    def __init__(self, n_vocab, c):
        super().__init__()
        self.hidden, self.inter = c["hidden"], c["inter"]
        self.emb = nn.Embedding(n_vocab, c["hidden"])
        self.attn = nn.ModuleList(MultiHeadAttention(c["hidden"], c["heads"], c["window"]) for _ in range(c["layers"]))
        self.norm1 = nn.ModuleList(LayerNorm(c["hidden"]) for _ in range(c["layers"]))
        self.ffn = nn.ModuleList(FFN(c["hidden"], c["filter"], c["kernel"]) for _ in range(c["layers"]))
        self.norm2 = nn.ModuleList(LayerNorm(c["hidden"]) for _ in range(c["layers"]))
        self.proj = nn.Conv1d(c["hidden"], c["inter"] * 2, 1)

    def forward(self, ids, lengths):
        x = (self.emb(ids) * math.sqrt(self.hidden)).transpose(1, -1)
        mask = sequence_mask(lengths, x.size(2)).unsqueeze(1).to(x.dtype)
        attn_mask = mask.unsqueeze(2) * mask.unsqueeze(-1)
        x = x * mask
        for attn, n1, ffn, n2 in zip(self.attn, self.norm1, self.ffn, self.norm2):
            x = n1(x + attn(x, attn_mask))
            x = n2(x + ffn(x, mask))
        x = x * mask
        stats = self.proj(x) * mask
        m, logs = torch.split(stats, self.inter, dim=1)
        return x, m, logs, mask


class DDSConv(nn.Module):
    def __init__(self, channels, kernel, n_layers):
        super().__init__()
        self.convs_sep = nn.ModuleList()
        self.convs_1x1 = nn.ModuleList()
        self.norms_1 = nn.ModuleList()
        self.norms_2 = nn.ModuleList()
        for i in range(n_layers):
            dilation = kernel**i
            self.convs_sep.append(
                nn.Conv1d(channels, channels, kernel, groups=channels, dilation=dilation,
                          padding=(kernel * dilation - dilation) // 2)
            )
            self.convs_1x1.append(nn.Conv1d(channels, channels, 1))
            self.norms_1.append(LayerNorm(channels))
            self.norms_2.append(LayerNorm(channels))

    def forward(self, x, mask, g=None):
        if g is not None:
            x = x + g
        for sep, one, n1, n2 in zip(self.convs_sep, self.convs_1x1, self.norms_1, self.norms_2):
            y = F.gelu(n1(sep(x * mask)))
            y = F.gelu(n2(one(y)))
            x = x + y
        return x * mask


def rational_quadratic_inverse(inputs, widths_u, heights_u, derivs_u, tail_bound, min_w=1e-3, min_h=1e-3, min_d=1e-3):
    """transforms.unconstrained_rational_quadratic_spline(inverse=True, tails="linear"), mask-free."""
    num_bins = widths_u.shape[-1]
    const = math.log(math.exp(1 - min_d) - 1)
    derivs_u = F.pad(derivs_u, (1, 1), value=const)
    inside = (inputs >= -tail_bound) & (inputs <= tail_bound)
    x = torch.clamp(inputs, -tail_bound, tail_bound)
    left, right, bottom, top = -tail_bound, tail_bound, -tail_bound, tail_bound

    def knots(unnormalized, minimum, low, high):
        sizes = minimum + (1 - minimum * num_bins) * F.softmax(unnormalized, dim=-1)
        cum = F.pad(torch.cumsum(sizes, dim=-1), (1, 0), value=0.0)
        cum = (high - low) * cum + low
        cum = torch.cat([torch.full_like(cum[..., :1], low), cum[..., 1:-1], torch.full_like(cum[..., :1], high)], -1)
        return cum, cum[..., 1:] - cum[..., :-1]

    cumwidths, widths = knots(widths_u, min_w, left, right)
    cumheights, heights = knots(heights_u, min_h, bottom, top)
    derivs = min_d + F.softplus(derivs_u)
    locations = torch.cat([cumheights[..., :-1], cumheights[..., -1:] + 1e-6], -1)
    idx = (torch.sum((x.unsqueeze(-1) >= locations).long(), dim=-1) - 1).clamp(0, num_bins - 1).unsqueeze(-1)

    def pick(t):
        return t.gather(-1, idx)[..., 0]

    in_cumwidths, in_widths, in_cumheights, in_heights = pick(cumwidths), pick(widths), pick(cumheights), pick(heights)
    delta = heights / widths
    in_delta, in_d, in_d1 = pick(delta), pick(derivs), pick(derivs[..., 1:])
    y = x - in_cumheights
    a = y * (in_d + in_d1 - 2 * in_delta) + in_heights * (in_delta - in_d)
    b = in_heights * in_d - y * (in_d + in_d1 - 2 * in_delta)
    c = -in_delta * y
    root = (2 * c) / (-b - torch.sqrt(torch.clamp(b * b - 4 * a * c, min=0.0)))
    return torch.where(inside, root * in_widths + in_cumwidths, inputs)


class ConvFlow(nn.Module):
    def __init__(self, in_channels, filter_channels, kernel, n_layers, num_bins=10, tail_bound=5.0):
        super().__init__()
        self.filter_channels, self.num_bins, self.tail_bound = filter_channels, num_bins, tail_bound
        self.half = in_channels // 2
        self.pre = nn.Conv1d(self.half, filter_channels, 1)
        self.convs = DDSConv(filter_channels, kernel, n_layers)
        self.proj = nn.Conv1d(filter_channels, self.half * (num_bins * 3 - 1), 1)

    def reverse(self, x, mask, g):
        x0, x1 = torch.split(x, [self.half] * 2, 1)
        h = self.proj(self.convs(self.pre(x0), mask, g=g)) * mask
        b, c, t = x0.shape
        h = h.reshape(b, c, -1, t).permute(0, 1, 3, 2)
        scale = math.sqrt(self.filter_channels)
        w, hh, d = h[..., : self.num_bins] / scale, h[..., self.num_bins : 2 * self.num_bins] / scale, h[..., 2 * self.num_bins :]
        x1 = rational_quadratic_inverse(x1, w, hh, d, self.tail_bound)
        return torch.cat([x0, x1], 1) * mask


class ElementwiseAffine(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.m = nn.Parameter(torch.zeros(channels, 1))
        self.logs = nn.Parameter(torch.zeros(channels, 1))

    def reverse(self, x, mask):
        return (x - self.m) * torch.exp(-self.logs) * mask


class StochasticDurationPredictor(nn.Module):
    def __init__(self, in_channels, kernel=3, n_flows=4):
        super().__init__()
        fc = in_channels
        self.affine = ElementwiseAffine(2)
        self.flows = nn.ModuleList(ConvFlow(2, fc, kernel, n_layers=3) for _ in range(n_flows))
        # Posterior flows and convs: training only, kept so the parameter count is the model's.
        self.post_pre = nn.Conv1d(1, fc, 1)
        self.post_proj = nn.Conv1d(fc, fc, 1)
        self.post_convs = DDSConv(fc, kernel, 3)
        self.post_affine = ElementwiseAffine(2)
        self.post_flows = nn.ModuleList(ConvFlow(2, fc, kernel, n_layers=3) for _ in range(4))
        self.pre = nn.Conv1d(in_channels, fc, 1)
        self.proj = nn.Conv1d(fc, fc, 1)
        self.convs = DDSConv(fc, kernel, 3)

    def forward(self, x, mask, noise_scale):
        x = self.proj(self.convs(self.pre(x), mask)) * mask
        z = torch.randn(x.size(0), 2, x.size(2)) * noise_scale
        # VITS's reverse order (Flip, ConvFlow, ...), less the last ConvFlow ("a useless vflow").
        for flow in list(reversed(self.flows))[:-1]:
            z = flow.reverse(torch.flip(z, [1]), mask, g=x)
        z = self.affine.reverse(torch.flip(z, [1]), mask)
        return z[:, :1]


class WN(nn.Module):
    def __init__(self, hidden, kernel, dilation_rate, n_layers):
        super().__init__()
        self.hidden, self.n_layers = hidden, n_layers
        self.in_layers = nn.ModuleList()
        self.res_skip_layers = nn.ModuleList()
        for i in range(n_layers):
            d = dilation_rate**i
            self.in_layers.append(weight_norm(nn.Conv1d(hidden, 2 * hidden, kernel, dilation=d, padding=(kernel * d - d) // 2)))
            out = 2 * hidden if i < n_layers - 1 else hidden
            self.res_skip_layers.append(weight_norm(nn.Conv1d(hidden, out, 1)))

    def forward(self, x, mask):
        output = torch.zeros_like(x)
        for i, (inl, rs) in enumerate(zip(self.in_layers, self.res_skip_layers)):
            x_in = inl(x)
            acts = torch.tanh(x_in[:, : self.hidden]) * torch.sigmoid(x_in[:, self.hidden :])
            res_skip = rs(acts)
            if i < self.n_layers - 1:
                x = (x + res_skip[:, : self.hidden]) * mask
                output = output + res_skip[:, self.hidden :]
            else:
                output = output + res_skip
        return output * mask


class ResidualCouplingLayer(nn.Module):
    def __init__(self, channels, hidden, kernel, dilation_rate, n_layers):
        super().__init__()
        self.half = channels // 2
        self.pre = nn.Conv1d(self.half, hidden, 1)
        self.enc = WN(hidden, kernel, dilation_rate, n_layers)
        self.post = nn.Conv1d(hidden, self.half, 1)  # mean_only

    def reverse(self, x, mask):
        x0, x1 = torch.split(x, [self.half] * 2, 1)
        m = self.post(self.enc(self.pre(x0) * mask, mask)) * mask
        return torch.cat([x0, (x1 - m) * mask], 1)


class Flow(nn.Module):
    def __init__(self, channels, hidden, n_flows=4):
        super().__init__()
        self.flows = nn.ModuleList(ResidualCouplingLayer(channels, hidden, 5, 1, 4) for _ in range(n_flows))

    def reverse(self, x, mask):
        for flow in reversed(self.flows):
            x = flow.reverse(torch.flip(x, [1]), mask)
        return x


class ResBlock2(nn.Module):
    def __init__(self, channels, kernel, dilation):
        super().__init__()
        self.convs = nn.ModuleList(
            weight_norm(nn.Conv1d(channels, channels, kernel, 1, dilation=d, padding=(kernel * d - d) // 2))
            for d in dilation
        )

    def forward(self, x):
        for conv in self.convs:
            x = conv(F.leaky_relu(x, 0.1)) + x
        return x


class Generator(nn.Module):
    def __init__(self, c):
        super().__init__()
        initial = c["upsample_initial"]
        self.num_kernels = len(c["resblock_kernels"])
        self.conv_pre = nn.Conv1d(c["inter"], initial, 7, 1, padding=3)
        self.ups = nn.ModuleList(
            weight_norm(nn.ConvTranspose1d(initial // 2**i, initial // 2 ** (i + 1), k, u, padding=(k - u) // 2))
            for i, (u, k) in enumerate(zip(c["upsample_rates"], c["upsample_kernels"]))
        )
        self.resblocks = nn.ModuleList()
        for i in range(len(self.ups)):
            ch = initial // 2 ** (i + 1)
            for k, d in zip(c["resblock_kernels"], c["resblock_dilations"]):
                self.resblocks.append(ResBlock2(ch, k, d))
        self.conv_post = nn.Conv1d(ch, 1, 7, 1, padding=3, bias=False)

    def forward(self, x):
        x = self.conv_pre(x)
        for i, up in enumerate(self.ups):
            x = up(F.leaky_relu(x, 0.1))
            xs = None
            for j in range(self.num_kernels):
                y = self.resblocks[i * self.num_kernels + j](x)
                xs = y if xs is None else xs + y
            x = xs / self.num_kernels
        return torch.tanh(self.conv_post(F.leaky_relu(x)))


class PiperRandom(nn.Module):
    def __init__(self, n_vocab, c):
        super().__init__()
        self.enc_p = TextEncoder(n_vocab, c)
        self.dp = StochasticDurationPredictor(c["hidden"])
        self.flow = Flow(c["inter"], c["hidden"])
        self.dec = Generator(c)

    def forward(self, text, text_lengths, scales):
        noise_scale, length_scale, noise_w = scales[0], scales[1], scales[2]
        x, m_p, logs_p, x_mask = self.enc_p(text, text_lengths)
        logw = self.dp(x, x_mask, noise_scale=noise_w)
        w_ceil = torch.ceil(torch.exp(logw) * x_mask * length_scale)
        y_lengths = torch.clamp_min(torch.sum(w_ceil, [1, 2]), 1).long()
        y_mask = sequence_mask(y_lengths, y_lengths.max()).unsqueeze(1).to(x_mask.dtype)
        attn = generate_path(w_ceil, x_mask.unsqueeze(2) * y_mask.unsqueeze(-1))
        m_p = (attn.squeeze(1) @ m_p.transpose(1, 2)).transpose(1, 2)
        logs_p = (attn.squeeze(1) @ logs_p.transpose(1, 2)).transpose(1, 2)
        z_p = m_p + torch.randn_like(m_p) * torch.exp(logs_p) * noise_scale
        z = self.flow.reverse(z_p, y_mask)
        return self.dec(z * y_mask).unsqueeze(1)  # [b, 1, 1, samples]


def init_random(model, seed):
    torch.manual_seed(seed)
    for module in model.modules():
        if isinstance(module, (nn.Conv1d, nn.ConvTranspose1d, nn.Embedding)):
            module.reset_parameters()
    nn.init.normal_(model.enc_p.emb.weight, 0.0, model.enc_p.hidden**-0.5)
    for module in model.dec.modules():  # HiFi-GAN's init_weights
        if isinstance(module, (nn.Conv1d, nn.ConvTranspose1d)):
            target = module.weight_v if hasattr(module, "weight_v") else module.weight
            nn.init.normal_(target, 0.0, 0.01)
            if hasattr(module, "weight_g"):
                module.weight_g.data = module.weight_v.data.norm(dim=[1, 2], keepdim=True)
    # Small random spline and coupling outputs (VITS starts them at zero, which an export could
    # treat as constant): the flows stay near identity and the durations near the set mean.
    for flow in list(model.dp.flows) + list(model.dp.post_flows):
        nn.init.normal_(flow.proj.weight, std=0.01)
    for layer in model.flow.flows:
        nn.init.normal_(layer.post.weight, std=0.01)
    model.dp.affine.m.data[0] = -LOG_DURATION_MEAN
    nn.init.normal_(model.enc_p.proj.weight, std=0.01)


def count_params(module):
    return sum(p.numel() for p in module.parameters())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="data/bench-models/piper-medium-random")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    fixture = os.path.join(MIRROR, "test", "piper-vits-random", "model.onnx.json")
    with open(fixture, encoding="utf8") as f:
        voice = json.load(f)
    model = PiperRandom(voice["num_symbols"], MEDIUM).eval()
    init_random(model, args.seed)
    for name in ["enc_p", "dp", "flow", "dec"]:
        print(f"  {name}: {count_params(getattr(model, name)):,}")
    for module in model.modules():
        if hasattr(module, "weight_g"):
            remove_weight_norm(module)
    total = count_params(model)
    unused = count_params(model.dp) - sum(
        count_params(m) for m in [model.dp.affine, model.dp.pre, model.dp.proj, model.dp.convs, *list(model.dp.flows)[1:]]
    )
    print(f"parameters (weight norm folded): {total:,}; in the exported graph: {total - unused:,} "
          f"(the duration predictor's posterior and one spline flow are training-only)")

    # A Piper-style id sequence: ^ _ (phoneme _)* $ from the voice's own map.
    phoneme_map = voice["phoneme_id_map"]
    phonemes = "ðə kwˈɪk bɹˈaʊn fˈɑːks dʒˈʌmps ˌoʊvɚ ðə lˈeɪzi dˈɑːɡ."
    ids = [phoneme_map["^"][0], phoneme_map["_"][0]]
    for char in phonemes:
        if char in phoneme_map:
            ids += [phoneme_map[char][0], phoneme_map["_"][0]]
    ids.append(phoneme_map["$"][0])
    text = torch.tensor([ids], dtype=torch.long)
    lengths = torch.tensor([len(ids)], dtype=torch.long)
    scales = torch.tensor([voice["inference"]["noise_scale"], 1.0, voice["inference"]["noise_w"]])
    with torch.no_grad():
        audio = model(text, lengths, scales)
    seconds = audio.shape[-1] / SAMPLE_RATE
    print(f"torch: {len(ids)} ids -> {audio.shape[-1]} samples ({seconds:.2f} s, "
          f"{audio.shape[-1] / HOP / len(ids):.2f} frames per id), finite {bool(torch.isfinite(audio).all())}")
    if not torch.isfinite(audio).all():
        sys.exit("the random model gave non-finite audio")

    os.makedirs(args.out, exist_ok=True)
    onnx_path = os.path.join(args.out, "model.onnx")
    # piper_train/export_onnx.py: a random length-50 input, opset 15, these names and axes.
    torch.manual_seed(args.seed)
    dummy = torch.randint(low=0, high=voice["num_symbols"], size=(1, 50), dtype=torch.long)
    torch.onnx.export(
        model,
        (dummy, torch.LongTensor([dummy.size(1)]), torch.FloatTensor([0.667, 1.0, 0.8])),
        onnx_path,
        opset_version=15,
        input_names=["input", "input_lengths", "scales"],
        output_names=["output"],
        dynamic_axes={"input": {0: "batch_size", 1: "phonemes"}, "input_lengths": {0: "batch_size"},
                      "output": {0: "batch_size", 1: "time"}},
    )
    import onnx

    onnx.checker.check_model(onnx_path)
    print(f"wrote {onnx_path} ({os.path.getsize(onnx_path):,} bytes, opset 15)")
    shutil.copyfile(fixture, os.path.join(args.out, "model.onnx.json"))
    with open(os.path.join(args.out, "README.txt"), "w", encoding="utf8") as f:
        f.write(
            "RANDOM WEIGHTS, full-size Piper medium VITS: for timing only; the audio is noise.\n"
            f"Made by scripts/bench/make-piper-random.py (seed {args.seed}, {total - unused:,} exported parameters).\n"
        )
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
