#!/usr/bin/python3
"""
A FULL-SIZE Kokoro-82M v1.0 with RANDOM weights, for timing only (`npm run bench:tts`).

Speed does not depend on weight values, so this builds the real architecture (StyleTTS2 +
iSTFTNet, as hexgrad/kokoro's KModel runs it at inference) from the real config.json, fills it
with seeded random weights and exports it in the onnx-community layout that KokoroEngine loads:

    OUT/config.json                 the real file's 44 bytes ({"model_type": "style_text_to_speech_2"})
    OUT/onnx/model.onnx             input_ids int64 [1,T], style float32 [1,256], speed float32 [1]
                                    -> waveform float32 [1,N] at 24 kHz
    OUT/tokenizer.json, tokenizer_config.json   copied from the kokoro-signature-random fixture
    OUT/voices                      a link to the real voices (kokoro-82m-v1.0-voices/voices)

Its audio is noise: it says nothing about quality. Run with Debian's python (torch 1.13, onnx 1.12):

    flock /tmp/parla-heavy.lock /usr/bin/python3 scripts/bench/make-kokoro-random.py

Differences from the trained model that do not change the work done per call: weight norm is
folded into plain weights (as an export does), dropout is off, batch 1 runs without
pack_padded_sequence (one sequence has no padding), and the alignment matrix is built from the
cumulative durations instead of repeat_interleave (the same 0/1 matrix, with ops every ONNX
runtime has). The STFT and inverse STFT are convolutions with a DFT basis, as Kokoro's own
ONNX exports do (kokoro/custom_stft.py).
"""

import argparse
import json
import math
import os
import shutil
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils import remove_weight_norm, weight_norm

MIRROR = os.environ.get("MODEL_MIRROR_DIR", "/work/shared/models")
SAMPLE_RATE = 24_000
# Kokoro v1.0's parameter count (hexgrad/Kokoro-82M: kokoro-v1_0.pth, weight-norm gains included).
REAL_PARAMS = 81_763_410
# Durations: a sum of 50 sigmoids, so random weights give nearly the same count for every token.
# This bias makes it 2 frames (50 ms) per phoneme token for every voice tried (af_heart, am_adam,
# bf_emma): about 190 words a minute on the bench texts (bench:tts reports it), brisker than most
# read speech; 3 frames would be about 125. Erring short means less model time, so the
# overhead-to-model ratio measured with it is, if anything, too high.
DURATION_BIAS = -3.5
# F0 in Hz around a speaking pitch, so the harmonic source is "voiced" as it is in speech.
F0_BIAS_HZ = 180.0


# ---------------------------------------------------------------- building blocks (kokoro/modules.py, istftnet.py)


class LayerNorm(nn.Module):
    """Channel-first layer norm of StyleTTS2's TextEncoder."""

    def __init__(self, channels, eps=1e-5):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(channels))
        self.beta = nn.Parameter(torch.zeros(channels))
        self.channels, self.eps = channels, eps

    def forward(self, x):
        x = x.transpose(1, -1)
        x = F.layer_norm(x, (self.channels,), self.gamma, self.beta, self.eps)
        return x.transpose(1, -1)


class AdaIN1d(nn.Module):
    def __init__(self, style_dim, num_features):
        super().__init__()
        # affine=True as in kokoro (its comment: the old exporter loses the channel dim otherwise).
        self.norm = nn.InstanceNorm1d(num_features, affine=True)
        self.fc = nn.Linear(style_dim, num_features * 2)

    def forward(self, x, s):
        h = self.fc(s).unsqueeze(-1)
        gamma, beta = torch.chunk(h, chunks=2, dim=1)
        return (1 + gamma) * self.norm(x) + beta


class AdaLayerNorm(nn.Module):
    def __init__(self, style_dim, channels, eps=1e-5):
        super().__init__()
        self.channels = channels
        self.eps = eps
        self.fc = nn.Linear(style_dim, channels * 2)
        # An explicit unit scale and zero bias: opset 17's LayerNormalization needs the scale, and
        # onnxruntime-node 1.30's extended optimisations segfaulted on this graph without the bias.
        self.register_buffer("ones", torch.ones(channels))
        self.register_buffer("zeros", torch.zeros(channels))

    def forward(self, x, s):  # x [B, T, C]
        h = self.fc(s).unsqueeze(1)  # [B, 1, 2C]
        gamma, beta = torch.chunk(h, chunks=2, dim=-1)
        x = F.layer_norm(x, (self.channels,), self.ones, self.zeros, eps=self.eps)
        return (1 + gamma) * x + beta


class AdainResBlk1d(nn.Module):
    def __init__(self, dim_in, dim_out, style_dim, upsample=False):
        super().__init__()
        self.upsample = upsample
        self.learned_sc = dim_in != dim_out
        self.conv1 = weight_norm(nn.Conv1d(dim_in, dim_out, 3, 1, 1))
        self.conv2 = weight_norm(nn.Conv1d(dim_out, dim_out, 3, 1, 1))
        self.norm1 = AdaIN1d(style_dim, dim_in)
        self.norm2 = AdaIN1d(style_dim, dim_out)
        if self.learned_sc:
            self.conv1x1 = weight_norm(nn.Conv1d(dim_in, dim_out, 1, 1, 0, bias=False))
        if upsample:
            self.pool = weight_norm(
                nn.ConvTranspose1d(dim_in, dim_in, 3, stride=2, groups=dim_in, padding=1, output_padding=1)
            )

    def shortcut(self, x):
        if self.upsample:
            x = F.interpolate(x, scale_factor=2.0, mode="nearest")
        if self.learned_sc:
            x = self.conv1x1(x)
        return x

    def residual(self, x, s):
        x = F.leaky_relu(self.norm1(x, s), 0.2)
        if self.upsample:
            x = self.pool(x)
        x = self.conv1(x)
        x = F.leaky_relu(self.norm2(x, s), 0.2)
        return self.conv2(x)

    def forward(self, x, s):
        return (self.residual(x, s) + self.shortcut(x)) * (1 / math.sqrt(2))


def get_padding(kernel_size, dilation=1):
    return int((kernel_size * dilation - dilation) / 2)


class AdaINResBlock1(nn.Module):
    """iSTFTNet's resblock with AdaIN on the style and Snake activations (x + sin²(αx)/α)."""

    def __init__(self, channels, kernel_size, dilation, style_dim):
        super().__init__()
        self.convs1 = nn.ModuleList(
            weight_norm(nn.Conv1d(channels, channels, kernel_size, 1, dilation=d, padding=get_padding(kernel_size, d)))
            for d in dilation
        )
        self.convs2 = nn.ModuleList(
            weight_norm(nn.Conv1d(channels, channels, kernel_size, 1, dilation=1, padding=get_padding(kernel_size, 1)))
            for _ in dilation
        )
        self.adain1 = nn.ModuleList(AdaIN1d(style_dim, channels) for _ in dilation)
        self.adain2 = nn.ModuleList(AdaIN1d(style_dim, channels) for _ in dilation)
        self.alpha1 = nn.ParameterList(nn.Parameter(torch.ones(1, channels, 1)) for _ in dilation)
        self.alpha2 = nn.ParameterList(nn.Parameter(torch.ones(1, channels, 1)) for _ in dilation)

    def forward(self, x, s):
        for c1, c2, n1, n2, a1, a2 in zip(self.convs1, self.convs2, self.adain1, self.adain2, self.alpha1, self.alpha2):
            xt = n1(x, s)
            xt = xt + (1 / a1) * (torch.sin(a1 * xt) ** 2)
            xt = c1(xt)
            xt = n2(xt, s)
            xt = xt + (1 / a2) * (torch.sin(a2 * xt) ** 2)
            xt = c2(xt)
            x = xt + x
        return x


def atan2(y, x):
    """atan2 from atan and where: torch 1.13 cannot export aten::atan2."""
    base = torch.atan(y / torch.where(x == 0, torch.full_like(x, 1e-30), x))
    turn = torch.where(y >= 0, torch.full_like(y, math.pi), torch.full_like(y, -math.pi))
    return torch.where(x < 0, base + turn, base)


class DftStft(nn.Module):
    """STFT / inverse STFT as convolutions with a Hann-windowed DFT basis (center=True)."""

    def __init__(self, n_fft, hop):
        super().__init__()
        self.n_fft, self.hop = n_fft, hop
        bins = n_fft // 2 + 1
        window = torch.hann_window(n_fft, periodic=True, dtype=torch.float64).numpy()
        n, k = np.arange(n_fft), np.arange(bins)
        angle = 2 * np.pi * np.outer(k, n) / n_fft  # [bins, n_fft]
        self.register_buffer("fwd_real", torch.tensor(np.cos(angle) * window, dtype=torch.float32).unsqueeze(1))
        self.register_buffer("fwd_imag", torch.tensor(-np.sin(angle) * window, dtype=torch.float32).unsqueeze(1))
        # Real inverse DFT of a half spectrum: bins other than DC and Nyquist count twice. Divided by
        # the overlap-added squared window, which is constant for a Hann window at hop n_fft/4.
        weight = np.full(bins, 2.0)
        weight[0] = 1.0
        weight[-1] = 1.0
        wsum = float(np.sum(window**2) / hop)
        scale = (weight[:, None] / n_fft) * window[None, :] / wsum
        self.register_buffer("inv_real", torch.tensor(np.cos(angle) * scale, dtype=torch.float32).unsqueeze(1))
        self.register_buffer("inv_imag", torch.tensor(np.sin(angle) * scale, dtype=torch.float32).unsqueeze(1))

    def transform(self, wave):  # [B, L] -> magnitude, phase [B, bins, frames]
        pad = self.n_fft // 2
        x = F.pad(wave.unsqueeze(1), (pad, pad), mode="reflect")
        real = F.conv1d(x, self.fwd_real, stride=self.hop)
        imag = F.conv1d(x, self.fwd_imag, stride=self.hop)
        return torch.sqrt(real * real + imag * imag + 1e-14), atan2(imag, real)

    def inverse(self, magnitude, phase):  # -> [B, 1, (frames-1)*hop]
        real = magnitude * torch.cos(phase)
        imag = magnitude * torch.sin(phase)
        wave = F.conv_transpose1d(real, self.inv_real, stride=self.hop) - F.conv_transpose1d(
            imag, self.inv_imag, stride=self.hop
        )
        pad = self.n_fft // 2
        return wave[:, :, pad:-pad]


class SourceModuleHnNSF(nn.Module):
    """Harmonic-plus-noise source from F0 (SineGen with 8 harmonics, merged by a linear layer)."""

    def __init__(self, upsample_scale, harmonic_num=8, sine_amp=0.1, noise_std=0.003, voiced_threshold=10):
        super().__init__()
        self.upsample_scale = upsample_scale
        self.harmonics = harmonic_num + 1
        self.sine_amp, self.noise_std, self.voiced_threshold = sine_amp, noise_std, voiced_threshold
        self.l_linear = nn.Linear(self.harmonics, 1)
        self.register_buffer("multiples", torch.arange(1, self.harmonics + 1, dtype=torch.float32).view(1, 1, -1))

    def forward(self, f0_frames):  # [B, frames] at the decoder's frame rate
        # SineGen interpolates the (nearest-upsampled) per-sample phase increments down by the
        # upsample scale, integrates, and interpolates the phase back up: done here at frame rate.
        fn = f0_frames.unsqueeze(-1) * self.multiples  # [B, frames, H]
        rad = torch.remainder(fn / SAMPLE_RATE, 1.0)
        rand_ini = torch.rand_like(rad[:, :1, :]) * torch.cat([torch.zeros_like(rad[:, :1, :1]), torch.ones_like(rad[:, :1, 1:])], -1)
        rad = torch.cat([rad[:, :1, :] + rand_ini, rad[:, 1:, :]], dim=1)
        phase = torch.cumsum(rad, dim=1) * (2 * math.pi)
        phase = F.interpolate(
            phase.transpose(1, 2) * self.upsample_scale, scale_factor=float(self.upsample_scale), mode="linear"
        ).transpose(1, 2)  # [B, samples, H]
        sines = torch.sin(phase) * self.sine_amp
        f0_up = F.interpolate(f0_frames.unsqueeze(1), scale_factor=float(self.upsample_scale), mode="nearest")
        uv = (f0_up.transpose(1, 2) > self.voiced_threshold).float()  # [B, samples, 1]
        noise_amp = uv * self.noise_std + (1 - uv) * self.sine_amp / 3
        sines = sines * uv + noise_amp * torch.randn_like(sines)
        return torch.tanh(self.l_linear(sines))  # [B, samples, 1]


class Generator(nn.Module):
    def __init__(self, style_dim, cfg):
        super().__init__()
        rates, kernels = cfg["upsample_rates"], cfg["upsample_kernel_sizes"]
        initial = cfg["upsample_initial_channel"]
        n_fft, hop = cfg["gen_istft_n_fft"], cfg["gen_istft_hop_size"]
        self.num_kernels = len(cfg["resblock_kernel_sizes"])
        self.num_upsamples = len(rates)
        self.n_fft = n_fft
        self.m_source = SourceModuleHnNSF(upsample_scale=math.prod(rates) * hop)
        self.ups = nn.ModuleList()
        self.resblocks = nn.ModuleList()
        self.noise_convs = nn.ModuleList()
        self.noise_res = nn.ModuleList()
        for i, (u, k) in enumerate(zip(rates, kernels)):
            self.ups.append(
                weight_norm(nn.ConvTranspose1d(initial // 2**i, initial // 2 ** (i + 1), k, u, padding=(k - u) // 2))
            )
        for i in range(len(self.ups)):
            ch = initial // 2 ** (i + 1)
            for k, d in zip(cfg["resblock_kernel_sizes"], cfg["resblock_dilation_sizes"]):
                self.resblocks.append(AdaINResBlock1(ch, k, d, style_dim))
            if i + 1 < len(rates):
                stride = math.prod(rates[i + 1 :])
                self.noise_convs.append(nn.Conv1d(n_fft + 2, ch, stride * 2, stride=stride, padding=(stride + 1) // 2))
                self.noise_res.append(AdaINResBlock1(ch, 7, [1, 3, 5], style_dim))
            else:
                self.noise_convs.append(nn.Conv1d(n_fft + 2, ch, 1))
                self.noise_res.append(AdaINResBlock1(ch, 11, [1, 3, 5], style_dim))
        self.conv_post = weight_norm(nn.Conv1d(ch, n_fft + 2, 7, 1, padding=3))
        self.stft = DftStft(n_fft, hop)

    def forward(self, x, s, f0):
        har_source = self.m_source(f0).transpose(1, 2).squeeze(1)  # [B, samples]
        har_spec, har_phase = self.stft.transform(har_source)
        har = torch.cat([har_spec, har_phase], dim=1)
        for i in range(self.num_upsamples):
            x = F.leaky_relu(x, 0.1)
            x_source = self.noise_res[i](self.noise_convs[i](har), s)
            x = self.ups[i](x)
            if i == self.num_upsamples - 1:
                x = F.pad(x, (1, 0), mode="reflect")
            x = x + x_source
            xs = None
            for j in range(self.num_kernels):
                y = self.resblocks[i * self.num_kernels + j](x, s)
                xs = y if xs is None else xs + y
            x = xs / self.num_kernels
        x = self.conv_post(F.leaky_relu(x))
        bins = self.n_fft // 2 + 1
        spec = torch.exp(x[:, :bins, :])
        phase = torch.sin(x[:, bins:, :])
        return self.stft.inverse(spec, phase)


class Decoder(nn.Module):
    def __init__(self, dim_in, style_dim, cfg):
        super().__init__()
        self.encode = AdainResBlk1d(dim_in + 2, 1024, style_dim)
        self.decode = nn.ModuleList(
            [
                AdainResBlk1d(1024 + 2 + 64, 1024, style_dim),
                AdainResBlk1d(1024 + 2 + 64, 1024, style_dim),
                AdainResBlk1d(1024 + 2 + 64, 1024, style_dim),
                AdainResBlk1d(1024 + 2 + 64, 512, style_dim, upsample=True),
            ]
        )
        self.F0_conv = weight_norm(nn.Conv1d(1, 1, 3, stride=2, padding=1))
        self.N_conv = weight_norm(nn.Conv1d(1, 1, 3, stride=2, padding=1))
        self.asr_res = weight_norm(nn.Conv1d(512, 64, 1))
        self.generator = Generator(style_dim, cfg)

    def forward(self, asr, f0_curve, n_curve, s):
        f0 = self.F0_conv(f0_curve.unsqueeze(1))
        n = self.N_conv(n_curve.unsqueeze(1))
        x = self.encode(torch.cat([asr, f0, n], dim=1), s)
        asr_res = self.asr_res(asr)
        res = True
        for block in self.decode:
            if res:
                x = torch.cat([x, asr_res, f0, n], dim=1)
            x = block(x, s)
            if block.upsample:
                res = False
        return self.generator(x, s, f0_curve)


class TextEncoder(nn.Module):
    def __init__(self, channels, kernel_size, depth, n_symbols):
        super().__init__()
        self.embedding = nn.Embedding(n_symbols, channels)
        self.cnn = nn.ModuleList(
            nn.Sequential(
                weight_norm(nn.Conv1d(channels, channels, kernel_size, padding=(kernel_size - 1) // 2)),
                LayerNorm(channels),
                nn.LeakyReLU(0.2),
            )
            for _ in range(depth)
        )
        self.lstm = nn.LSTM(channels, channels // 2, 1, batch_first=True, bidirectional=True)

    def forward(self, ids):
        x = self.embedding(ids).transpose(1, 2)
        for block in self.cnn:
            x = block(x)
        x, _ = self.lstm(x.transpose(1, 2))
        return x.transpose(1, 2)  # [B, C, T]


class DurationEncoder(nn.Module):
    def __init__(self, sty_dim, d_model, nlayers):
        super().__init__()
        self.lstms = nn.ModuleList()
        for _ in range(nlayers):
            self.lstms.append(nn.LSTM(d_model + sty_dim, d_model // 2, 1, batch_first=True, bidirectional=True))
            self.lstms.append(AdaLayerNorm(sty_dim, d_model))

    def forward(self, x, style):  # x [B, C, T] -> [B, T, C + sty]
        s = style.unsqueeze(1).expand(-1, x.shape[2], -1)
        x = torch.cat([x.transpose(1, 2), s], dim=-1)
        for block in self.lstms:
            if isinstance(block, AdaLayerNorm):
                x = torch.cat([block(x, style), s], dim=-1)
            else:
                x, _ = block(x)
        return x


class ProsodyPredictor(nn.Module):
    def __init__(self, style_dim, d_hid, nlayers, max_dur):
        super().__init__()
        self.text_encoder = DurationEncoder(style_dim, d_hid, nlayers)
        self.lstm = nn.LSTM(d_hid + style_dim, d_hid // 2, 1, batch_first=True, bidirectional=True)
        self.duration_proj = nn.Linear(d_hid, max_dur)  # LinearNorm
        self.shared = nn.LSTM(d_hid + style_dim, d_hid // 2, 1, batch_first=True, bidirectional=True)
        half = d_hid // 2
        self.F0 = nn.ModuleList(
            [
                AdainResBlk1d(d_hid, d_hid, style_dim),
                AdainResBlk1d(d_hid, half, style_dim, upsample=True),
                AdainResBlk1d(half, half, style_dim),
            ]
        )
        self.N = nn.ModuleList(
            [
                AdainResBlk1d(d_hid, d_hid, style_dim),
                AdainResBlk1d(d_hid, half, style_dim, upsample=True),
                AdainResBlk1d(half, half, style_dim),
            ]
        )
        self.F0_proj = nn.Conv1d(half, 1, 1)
        self.N_proj = nn.Conv1d(half, 1, 1)

    def f0_n(self, en, s):  # en [B, C+sty, frames]
        x, _ = self.shared(en.transpose(1, 2))
        f0 = x.transpose(1, 2)
        for block in self.F0:
            f0 = block(f0, s)
        n = x.transpose(1, 2)
        for block in self.N:
            n = block(n, s)
        return self.F0_proj(f0).squeeze(1), self.N_proj(n).squeeze(1)


class Albert(nn.Module):
    """ALBERT (PL-BERT): factorised embedding 128 -> hidden, one layer's weights shared by all layers."""

    def __init__(self, vocab, cfg, embedding_size=128):
        super().__init__()
        hidden, heads = cfg["hidden_size"], cfg["num_attention_heads"]
        self.layers, self.heads = cfg["num_hidden_layers"], heads
        self.word_embeddings = nn.Embedding(vocab, embedding_size)
        self.position_embeddings = nn.Embedding(cfg["max_position_embeddings"], embedding_size)
        self.token_type_embeddings = nn.Embedding(2, embedding_size)
        self.emb_norm = nn.LayerNorm(embedding_size, eps=1e-12)
        self.mapping_in = nn.Linear(embedding_size, hidden)
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.dense = nn.Linear(hidden, hidden)
        self.attention_norm = nn.LayerNorm(hidden, eps=1e-12)
        self.ffn = nn.Linear(hidden, cfg["intermediate_size"])
        self.ffn_output = nn.Linear(cfg["intermediate_size"], hidden)
        self.full_layer_norm = nn.LayerNorm(hidden, eps=1e-12)
        self.pooler = nn.Linear(hidden, hidden)  # in the checkpoint; unused by TTS

    def forward(self, ids):  # one sequence, no padding: the attention mask is all ones
        t = ids.shape[1]
        positions = torch.arange(t, device=ids.device).unsqueeze(0)
        x = self.word_embeddings(ids) + self.position_embeddings(positions) + self.token_type_embeddings(
            torch.zeros_like(ids)
        )
        x = self.mapping_in(self.emb_norm(x))
        b, hidden = x.shape[0], x.shape[2]
        head = hidden // self.heads
        for _ in range(self.layers):
            q = self.query(x).view(b, t, self.heads, head).transpose(1, 2)
            k = self.key(x).view(b, t, self.heads, head).transpose(1, 2)
            v = self.value(x).view(b, t, self.heads, head).transpose(1, 2)
            att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(head), dim=-1)
            ctx = (att @ v).transpose(1, 2).reshape(b, t, hidden)
            x = self.attention_norm(x + self.dense(ctx))
            ff = self.ffn_output(F.gelu(self.ffn(x), approximate="tanh"))  # ALBERT's gelu_new
            x = self.full_layer_norm(x + ff)
        return x


class KokoroRandom(nn.Module):
    def __init__(self, config):
        super().__init__()
        hidden, style = config["hidden_dim"], config["style_dim"]
        self.style_dim = style
        self.bert = Albert(config["n_token"], config["plbert"])
        self.bert_encoder = nn.Linear(config["plbert"]["hidden_size"], hidden)
        self.predictor = ProsodyPredictor(style, hidden, config["n_layer"], config["max_dur"])
        self.text_encoder = TextEncoder(hidden, config["text_encoder_kernel_size"], config["n_layer"], config["n_token"])
        self.decoder = Decoder(hidden, style, config["istftnet"])

    def forward(self, input_ids, style, speed):
        ref_decoder, ref_prosody = style[:, : self.style_dim], style[:, self.style_dim :]
        d_en = self.bert_encoder(self.bert(input_ids)).transpose(1, 2)
        d = self.predictor.text_encoder(d_en, ref_prosody)  # [1, T, 640]
        x, _ = self.predictor.lstm(d)
        duration = torch.sigmoid(self.predictor.duration_proj(x)).sum(dim=-1) / speed
        pred_dur = torch.round(duration).clamp(min=1).long()[0]  # [T] frames per token
        # The alignment matrix [T, frames]: token t covers frames [start_t, end_t).
        ends = torch.cumsum(pred_dur, dim=0)
        starts = ends - pred_dur
        frames = torch.arange(ends[-1], device=input_ids.device)
        aln = ((frames.unsqueeze(0) >= starts.unsqueeze(1)) & (frames.unsqueeze(0) < ends.unsqueeze(1))).float()
        aln = aln.unsqueeze(0)
        en = d.transpose(1, 2) @ aln
        f0_pred, n_pred = self.predictor.f0_n(en, ref_prosody)
        asr = self.text_encoder(input_ids) @ aln
        return self.decoder(asr, f0_pred, n_pred, ref_decoder).squeeze(1)  # [1, samples]


# ---------------------------------------------------------------- init, export, files


def init_random(model, seed):
    torch.manual_seed(seed)
    for module in model.modules():
        if isinstance(module, (nn.Conv1d, nn.ConvTranspose1d, nn.Linear, nn.LSTM, nn.Embedding)):
            module.reset_parameters()
    for name, param in model.bert.named_parameters():
        if param.dim() > 1:
            nn.init.normal_(param, std=0.02)  # ALBERT's initializer_range
    gen = model.decoder.generator
    for conv in list(gen.ups) + [gen.conv_post]:
        nn.init.normal_(conv.weight_v, std=0.01)  # iSTFTNet's init_weights
        conv.weight_g.data = conv.weight_v.data.norm(dim=[i for i in range(3) if i != 0], keepdim=True)
    nn.init.constant_(model.predictor.duration_proj.bias, DURATION_BIAS)
    nn.init.normal_(model.predictor.duration_proj.weight, std=0.1)
    nn.init.constant_(model.predictor.F0_proj.bias, F0_BIAS_HZ)


def count_params(model):
    return sum(p.numel() for p in model.parameters())


def fold_weight_norm(model):
    for module in model.modules():
        if hasattr(module, "weight_g"):
            remove_weight_norm(module)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="data/bench-models/kokoro-82m-random")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--opset", type=int, default=17)
    args = parser.parse_args()

    voices_dir = os.path.join(MIRROR, "kokoro-82m-v1.0-voices")
    fixture_dir = os.path.join(MIRROR, "test", "kokoro-signature-random")
    with open(os.path.join(voices_dir, "config.json"), encoding="utf8") as f:
        config = json.load(f)

    model = KokoroRandom(config).eval()
    init_random(model, args.seed)
    total = count_params(model)
    # kokoro builds AdaIN's InstanceNorm with affine=True for the exporter, but the checkpoint has
    # no such weights (they stay at 1 and 0); everything else is a checkpoint tensor.
    norm_affine = sum(count_params(m.norm) for m in model.modules() if isinstance(m, AdaIN1d))
    with_gains = total - norm_affine
    print(f"parameters: {total:,}, of which {norm_affine:,} are InstanceNorm affine weights that kokoro "
          f"adds at 1/0 and the checkpoint lacks")
    print(f"checkpoint-equivalent (weight-norm gains counted, as in kokoro-v1_0.pth): {with_gains:,}; "
          f"real Kokoro-82M v1.0: {REAL_PARAMS:,} (difference {with_gains - REAL_PARAMS:+,})")
    for name in ["bert", "bert_encoder", "predictor", "text_encoder", "decoder"]:
        print(f"  {name}: {count_params(getattr(model, name)):,}")
    fold_weight_norm(model)
    print(f"parameters after folding weight norm (what the ONNX file holds): {count_params(model):,}")

    # A sentence's worth of tokens from the real vocabulary, and a real voice row.
    vocab = config["vocab"]
    phonemes = "ðə kwˈɪk bɹˈaʊn fˈɑks dʒˈʌmps ˌoʊvɚ ðə lˈeɪzi dˈɑɡ."
    ids = [0] + [vocab[c] for c in phonemes if c in vocab] + [0]
    voice = np.fromfile(os.path.join(voices_dir, "voices", "af_heart.bin"), dtype="<f4").reshape(-1, 256)
    input_ids = torch.tensor([ids], dtype=torch.long)
    style = torch.tensor(voice[len(ids) - 2 : len(ids) - 1])
    speed = torch.tensor([1.0])
    with torch.no_grad():
        wave = model(input_ids, style, speed)
    seconds = wave.shape[1] / SAMPLE_RATE
    print(f"torch: {len(ids)} tokens -> {wave.shape[1]} samples ({seconds:.2f} s, "
          f"{wave.shape[1] / 600 / len(ids):.2f} frames per token), finite {bool(torch.isfinite(wave).all())}, "
          f"rms {float(wave.pow(2).mean().sqrt()):.4f}")
    if not torch.isfinite(wave).all():
        sys.exit("the random model gave non-finite audio")

    os.makedirs(os.path.join(args.out, "onnx"), exist_ok=True)
    onnx_path = os.path.join(args.out, "onnx", "model.onnx")
    # Traced on a short input (quicker); T and N stay dynamic.
    short = torch.tensor([ids[:11] + [0]], dtype=torch.long)
    torch.onnx.export(
        model,
        (short, torch.tensor(voice[10:11]), speed),
        onnx_path,
        input_names=["input_ids", "style", "speed"],
        output_names=["waveform"],
        dynamic_axes={"input_ids": {1: "sequence_length"}, "waveform": {1: "num_samples"}},
        opset_version=args.opset,
        do_constant_folding=True,
    )
    import onnx

    onnx.checker.check_model(onnx_path)
    print(f"wrote {onnx_path} ({os.path.getsize(onnx_path):,} bytes, opset {args.opset})")

    # config.json: the real onnx-community file's 44 bytes, as the fixture holds them.
    for name in ["config.json", "tokenizer.json", "tokenizer_config.json"]:
        shutil.copyfile(os.path.join(fixture_dir, name), os.path.join(args.out, name))
    link = os.path.join(args.out, "voices")
    if os.path.islink(link) or os.path.exists(link):
        if os.path.islink(link):
            os.unlink(link)
        else:
            shutil.rmtree(link)
    os.symlink(os.path.abspath(os.path.join(voices_dir, "voices")), link)
    with open(os.path.join(args.out, "README.txt"), "w", encoding="utf8") as f:
        f.write(
            "RANDOM WEIGHTS, full-size Kokoro-82M v1.0 architecture: for timing only; the audio is noise.\n"
            f"Made by scripts/bench/make-kokoro-random.py (seed {args.seed}, {with_gains:,} parameters).\n"
        )
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
