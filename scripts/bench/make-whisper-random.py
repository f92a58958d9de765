#!/usr/bin/python3
"""
A random-weight Whisper with the real large-v3-turbo architecture and sizes (809M parameters),
in the exact transformers.js / optimum ONNX layout Parla loads: onnx/encoder_model.onnx (+ its
external data file) and onnx/decoder_model_merged.onnx (one `If` on use_cache_branch). It exists so
`npm run bench:stt` can weigh Parla's pipeline overhead against the model time of a full-size
Whisper on machines without the real download: speed does not depend on weight values, so the
timings are a full-size model's; the transcripts are noise and say nothing about quality.

Plain torch (no transformers): Conv1d x2 + GELU front end, sinusoidal encoder positions, pre-LN
transformer blocks, a decoder with learned positions, self-attention with a KV cache,
cross-attention, and logits from the tied token embedding, as in openai/whisper. Attention scales
q by head_dim^-0.5 (transformers' form; openai's q and k by head_dim^-0.25 each is the same product).

The vocabulary is the fixture's real multilingual tokenizer (51,865 tokens). The real turbo has
51,866 (it adds <|yue|>): one embedding row, negligible compute.

The tied output projection is stored as the transposed copy torch's constant folding writes
(MatMul on [d_model, vocab]), beside the embedding the Gather reads: 265 MB more on disk, and no
per-step Transpose whose cost would hang on whether onnxruntime folds it inside an `If` branch.

Run: flock /tmp/parla-heavy.lock /usr/bin/python3 scripts/bench/make-whisper-random.py
Needs Debian's python3-torch (1.13) and python3-onnx (1.12). On the 2-core dev machine it took
19.5 min (Debian's torch has a generic BLAS: each full-size encoder forward, the reference one and
the export's trace, takes about 8 min) with a peak RSS of 7.1 GB, and writes 3.5 GB. Then check
the files on onnxruntime-node: `npx tsx scripts/bench/check-whisper-export.ts [folder]`.
"""
import argparse
import gc
import hashlib
import json
import math
import os
import shutil
import sys
import tempfile
import time

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper
from torch import nn
from torch.nn import functional as F

PRESETS = {
    # openai/whisper-large-v3-turbo's config.json, with the fixture's vocabulary (see above).
    "large-v3-turbo": dict(n_mels=128, d_model=1280, enc_layers=32, dec_layers=4, heads=20, ffn=5120),
    # The same code path in seconds, for working on this script.
    "tiny": dict(n_mels=128, d_model=64, enc_layers=2, dec_layers=2, heads=2, ffn=256),
}
VOCAB = 51865
N_AUDIO_CTX = 1500
N_TEXT_CTX = 448
N_FRAMES = 3000
OPSET = 17
# Small enough that 32 blocks of residual sums stay near unit scale, so nothing overflows.
INIT_STD = 0.02
FIXTURE = os.path.join(os.environ.get("MODEL_MIRROR_DIR", "/work/shared/models"), "test/whisper-tiny-random")
CHECK_PROMPT = [50258, 50259, 50359, 50363]  # <|startoftranscript|><|en|><|transcribe|><|notimestamps|>
CHECK_STEPS = 3


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def peak_rss_gb():
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


# ---------------------------------------------------------------- model


class Linear(nn.Module):
    """x @ W + b with W stored [in, out]: the MatMul-on-a-transposed-initializer form torch's
    exporter writes for nn.Linear, without holding a second, transposed copy while exporting."""

    def __init__(self, n_in, n_out, bias=True):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(n_in, n_out))
        self.bias = nn.Parameter(torch.empty(n_out)) if bias else None

    def forward(self, x):
        y = torch.matmul(x, self.weight)
        return y if self.bias is None else y + self.bias


class Attention(nn.Module):
    def __init__(self, d_model, heads):
        super().__init__()
        self.heads = heads
        self.head_dim = d_model // heads
        self.q_proj = Linear(d_model, d_model)
        self.k_proj = Linear(d_model, d_model, bias=False)  # Whisper's key projection has no bias
        self.v_proj = Linear(d_model, d_model)
        self.out_proj = Linear(d_model, d_model)

    def split(self, x):
        """[batch, time, d_model] -> [batch, heads, time, head_dim], the layout of the KV outputs."""
        return x.reshape(x.shape[0], x.shape[1], self.heads, self.head_dim).transpose(1, 2)

    def attend(self, q, k, v, mask=None):
        scores = torch.matmul(q * self.head_dim**-0.5, k.transpose(-1, -2))
        if mask is not None:
            scores = scores + mask
        out = torch.matmul(scores.softmax(dim=-1), v).transpose(1, 2)
        return self.out_proj(out.reshape(out.shape[0], out.shape[1], self.heads * self.head_dim))


class Block(nn.Module):
    def __init__(self, d_model, heads, ffn, cross):
        super().__init__()
        self.self_attn_layer_norm = nn.LayerNorm(d_model)
        self.self_attn = Attention(d_model, heads)
        self.encoder_attn_layer_norm = nn.LayerNorm(d_model) if cross else None
        self.encoder_attn = Attention(d_model, heads) if cross else None
        self.final_layer_norm = nn.LayerNorm(d_model)
        self.fc1 = Linear(d_model, ffn)
        self.fc2 = Linear(ffn, d_model)

    def mlp(self, x):
        return x + self.fc2(F.gelu(self.fc1(self.final_layer_norm(x))))


class Encoder(nn.Module):
    def __init__(self, n_mels, d_model, enc_layers, heads, ffn, **_):
        super().__init__()
        self.conv1 = nn.Conv1d(n_mels, d_model, kernel_size=3, padding=1)
        self.conv2 = nn.Conv1d(d_model, d_model, kernel_size=3, stride=2, padding=1)
        self.embed_positions = nn.Parameter(sinusoids(N_AUDIO_CTX, d_model), requires_grad=False)
        self.layers = nn.ModuleList(Block(d_model, heads, ffn, cross=False) for _ in range(enc_layers))
        self.layer_norm = nn.LayerNorm(d_model)

    def forward(self, input_features):
        x = F.gelu(self.conv1(input_features))
        x = F.gelu(self.conv2(x)).permute(0, 2, 1)
        x = x + self.embed_positions
        for block in self.layers:
            attn = block.self_attn
            h = block.self_attn_layer_norm(x)
            x = x + attn.attend(attn.split(attn.q_proj(h)), attn.split(attn.k_proj(h)), attn.split(attn.v_proj(h)))
            x = block.mlp(x)
        return self.layer_norm(x)


class Decoder(nn.Module):
    def __init__(self, d_model, dec_layers, heads, ffn, **_):
        super().__init__()
        self.embed_tokens = nn.Parameter(torch.empty(VOCAB, d_model))
        self.embed_positions = nn.Parameter(torch.empty(N_TEXT_CTX, d_model))
        self.layers = nn.ModuleList(Block(d_model, heads, ffn, cross=True) for _ in range(dec_layers))
        self.layer_norm = nn.LayerNorm(d_model)

    def cross_kv(self, encoder_hidden_states):
        """Each layer's cross-attention keys and values: computed once per window, then reused."""
        out = []
        for block in self.layers:
            attn = block.encoder_attn
            out.append((attn.split(attn.k_proj(encoder_hidden_states)), attn.split(attn.v_proj(encoder_hidden_states))))
        return out

    def run(self, input_ids, past, cross):
        """Logits and each layer's self-attention K/V, after `past` (None on the first step)."""
        length = input_ids.shape[1]
        offset = past[0][0].shape[2] if past is not None else 0
        positions = torch.arange(length) + offset
        x = F.embedding(input_ids, self.embed_tokens) + F.embedding(positions, self.embed_positions)
        # A query at position p sees keys 0..p: the cache plus the causal part of this input.
        keys = torch.arange(length + offset)
        mask = torch.where(
            keys.unsqueeze(0) > positions.unsqueeze(1),
            torch.tensor(torch.finfo(torch.float32).min),
            torch.tensor(0.0),
        )
        presents = []
        for i, block in enumerate(self.layers):
            attn = block.self_attn
            h = block.self_attn_layer_norm(x)
            k, v = attn.split(attn.k_proj(h)), attn.split(attn.v_proj(h))
            if past is not None:
                k = torch.cat([past[i][0], k], dim=2)
                v = torch.cat([past[i][1], v], dim=2)
            presents.append((k, v))
            x = x + attn.attend(attn.split(attn.q_proj(h)), k, v, mask)
            cross_attn = block.encoder_attn
            h = block.encoder_attn_layer_norm(x)
            x = x + cross_attn.attend(cross_attn.split(cross_attn.q_proj(h)), cross[i][0], cross[i][1])
            x = block.mlp(x)
        logits = torch.matmul(self.layer_norm(x), self.embed_tokens.t())  # proj_out tied to the embedding
        return logits, presents


class DecoderNoPast(nn.Module):
    """optimum's decoder_model: the whole prompt, returning self- and cross-attention K/V."""

    def __init__(self, decoder):
        super().__init__()
        self.decoder = decoder

    def forward(self, input_ids, encoder_hidden_states):
        cross = self.decoder.cross_kv(encoder_hidden_states)
        logits, presents = self.decoder.run(input_ids, None, cross)
        flat = [logits]
        for (k, v), (ck, cv) in zip(presents, cross):
            flat += [k, v, ck, cv]
        return tuple(flat)


class DecoderWithPast(nn.Module):
    """optimum's decoder_with_past_model: new tokens after the cache; cross K/V come in as past."""

    def __init__(self, decoder):
        super().__init__()
        self.decoder = decoder

    def forward(self, input_ids, *past_flat):
        layers = [past_flat[i : i + 4] for i in range(0, len(past_flat), 4)]
        past = [(layer[0], layer[1]) for layer in layers]
        cross = [(layer[2], layer[3]) for layer in layers]
        logits, presents = self.decoder.run(input_ids, past, cross)
        flat = [logits]
        for k, v in presents:
            flat += [k, v]
        return tuple(flat)


def sinusoids(length, channels, max_timescale=10000):
    """openai/whisper's encoder positions."""
    increment = math.log(max_timescale) / (channels // 2 - 1)
    inv_timescales = torch.exp(-increment * torch.arange(channels // 2))
    scaled_time = torch.arange(length)[:, None] * inv_timescales[None, :]
    return torch.cat([torch.sin(scaled_time), torch.cos(scaled_time)], dim=1)


def randomize(module, generator):
    """Seeded N(0, INIT_STD) weights and biases; layer norms near 1 and 0; positions kept."""
    with torch.no_grad():
        for name, param in module.named_parameters():
            if not param.requires_grad:
                continue
            if "layer_norm" in name:
                base = 1.0 if name.endswith("weight") else 0.0
                param.copy_(base + INIT_STD * torch.randn(param.shape, generator=generator))
            else:
                param.copy_(INIT_STD * torch.randn(param.shape, generator=generator))


def count(module):
    return sum(p.numel() for p in module.parameters())


# ---------------------------------------------------------------- export


def decoder_kv_names(prefix, layers, with_encoder):
    names = []
    for i in range(layers):
        names += [f"{prefix}.{i}.decoder.key", f"{prefix}.{i}.decoder.value"]
        if with_encoder:
            names += [f"{prefix}.{i}.encoder.key", f"{prefix}.{i}.encoder.value"]
    return names


def dims_for(name, cfg):
    """optimum's dimension names for every input and output of the Whisper graphs."""
    d, heads = cfg["d_model"], cfg["heads"]
    head_dim = d // heads
    if name == "input_features":
        return ["batch_size", cfg["n_mels"], N_FRAMES]
    if name == "last_hidden_state":
        return ["batch_size", N_AUDIO_CTX, d]
    if name == "input_ids":
        return ["batch_size", "decoder_sequence_length"]
    if name == "encoder_hidden_states":
        return ["batch_size", "encoder_sequence_length", d]
    if name == "use_cache_branch":
        return [1]
    if name == "logits":
        return ["batch_size", "decoder_sequence_length", VOCAB]
    if name.endswith(".encoder.key") or name.endswith(".encoder.value"):
        return ["batch_size", heads, "encoder_sequence_length", head_dim]
    if name.startswith("past_key_values."):
        return ["batch_size", heads, "past_decoder_sequence_length", head_dim]
    if name.startswith("present."):
        return ["batch_size", heads, "past_decoder_sequence_length + decoder_sequence_length", head_dim]
    raise ValueError(name)


def dynamic_axes(names, cfg):
    return {name: {i: dim for i, dim in enumerate(dims_for(name, cfg)) if isinstance(dim, str)} for name in names}


def value_info(name, cfg):
    elem = {"input_ids": TensorProto.INT64, "use_cache_branch": TensorProto.BOOL}.get(name, TensorProto.FLOAT)
    return helper.make_tensor_value_info(name, elem, dims_for(name, cfg))


def torch_export(module, args, path, inputs, outputs, cfg):
    torch.onnx.export(
        module,
        args,
        path,
        input_names=inputs,
        output_names=outputs,
        dynamic_axes=dynamic_axes(inputs + outputs, cfg),
        opset_version=OPSET,
        do_constant_folding=True,
    )


def consolidate_external(src_path, dst_path, data_name):
    """torch 1.13 writes a model over 2 GB as one file per tensor; rewrite it as the layout the
    hub uses: the graph in dst_path and every tensor in one data file beside it (data_name)."""
    src_dir = os.path.dirname(src_path)
    model = onnx.load(src_path, load_external_data=False)
    data_path = os.path.join(os.path.dirname(dst_path), data_name)
    with open(data_path, "wb") as out:
        for tensor in model.graph.initializer:
            if tensor.data_location != TensorProto.EXTERNAL:
                continue
            info = {entry.key: entry.value for entry in tensor.external_data}
            with open(os.path.join(src_dir, info["location"]), "rb") as src:
                src.seek(int(info.get("offset", 0)))
                payload = src.read(int(info["length"])) if "length" in info else src.read()
            # Page-aligned offsets let onnxruntime map tensors straight from the file.
            out.write(b"\0" * (-out.tell() % 4096))
            offset = out.tell()
            out.write(payload)
            del tensor.external_data[:]
            for key, value in (("location", data_name), ("offset", str(offset)), ("length", str(len(payload)))):
                tensor.external_data.add(key=key, value=value)
    onnx.save_model(model, dst_path)


def set_io(graph, cfg):
    """Dimension names exactly as optimum writes them (torch names some of them itself)."""
    for items in (graph.input, graph.output):
        for vi in items:
            vi.CopyFrom(value_info(vi.name, cfg))


def export_encoder(cfg, seed, onnx_dir, work):
    generator = torch.Generator().manual_seed(seed)
    encoder = Encoder(**cfg).eval()
    randomize(encoder, generator)
    params = count(encoder)
    log(f"encoder: {params:,} parameters; exporting")
    features = torch.randn(1, cfg["n_mels"], N_FRAMES, generator=generator).clamp(-1.5, 1.5)
    with torch.no_grad():
        reference = encoder(features)
        raw = os.path.join(work, "encoder", "encoder_model.onnx")
        os.makedirs(os.path.dirname(raw))
        torch_export(encoder, (features,), raw, ["input_features"], ["last_hidden_state"], cfg)
    del encoder
    gc.collect()
    dst = os.path.join(onnx_dir, "encoder_model.onnx")
    if any(name != "encoder_model.onnx" for name in os.listdir(os.path.dirname(raw))):
        consolidate_external(raw, dst, "encoder_model.onnx_data")
    else:
        shutil.move(raw, dst)
    fix_io_dims(dst, cfg)
    shutil.rmtree(os.path.dirname(raw))
    log(f"encoder written (peak RSS so far {peak_rss_gb():.1f} GB)")
    return params, features, reference


def fix_io_dims(path, cfg):
    """Rewrites only the graph's input and output types, leaving external data where it is."""
    model = onnx.load(path, load_external_data=False)
    set_io(model.graph, cfg)
    onnx.save_model(model, path)


def export_decoders(cfg, seed, encoded, work):
    generator = torch.Generator().manual_seed(seed + 1)
    decoder = Decoder(**cfg).eval()
    randomize(decoder, generator)
    params = count(decoder)
    layers = cfg["dec_layers"]
    log(f"decoder: {params:,} parameters; exporting both branches")
    no_past, with_past = os.path.join(work, "no_past.onnx"), os.path.join(work, "with_past.onnx")
    with torch.no_grad():
        ids = torch.tensor([CHECK_PROMPT], dtype=torch.int64)
        first = DecoderNoPast(decoder)(ids, encoded)
        torch_export(
            DecoderNoPast(decoder),
            (ids, encoded),
            no_past,
            ["input_ids", "encoder_hidden_states"],
            ["logits", *decoder_kv_names("present", layers, True)],
            cfg,
        )
        torch_export(
            DecoderWithPast(decoder),
            (ids[:, -1:], *first[1:]),
            with_past,
            ["input_ids", *decoder_kv_names("past_key_values", layers, True)],
            ["logits", *decoder_kv_names("present", layers, False)],
            cfg,
        )
        expected = greedy_reference(decoder, encoded, layers)
    del decoder
    gc.collect()
    return params, no_past, with_past, expected


def greedy_reference(decoder, encoded, layers):
    """Logits of the prompt step and CHECK_STEPS cached steps, for the onnxruntime check."""
    out = DecoderNoPast(decoder)(torch.tensor([CHECK_PROMPT], dtype=torch.int64), encoded)
    steps = []
    past = list(out[1:])
    logits = out[0][0, -1]
    for _ in range(CHECK_STEPS):
        token = int(logits.argmax())
        steps.append({"token": token, "logitsHead": [round(float(v), 6) for v in logits[:8]]})
        self_kv = DecoderWithPast(decoder)(torch.tensor([[token]], dtype=torch.int64), *past)
        logits = self_kv[0][0, -1]
        for i in range(layers):
            past[4 * i], past[4 * i + 1] = self_kv[1 + 2 * i], self_kv[2 + 2 * i]
    steps.append({"token": int(logits.argmax()), "logitsHead": [round(float(v), 6) for v in logits[:8]]})
    # The cache path (positions after the past, causal mask) must equal one pass over everything.
    whole = torch.tensor([CHECK_PROMPT + [step["token"] for step in steps[:-1]]], dtype=torch.int64)
    full = DecoderNoPast(decoder)(whole, encoded)[0][0, -1]
    gap = float((full - logits).abs().max())
    if gap > 1e-3 * max(1.0, float(full.abs().max())):
        sys.exit(f"cached decoding differs from a full pass by {gap}: the KV cache path is wrong")
    log(f"cached steps equal a full pass (max logit difference {gap:.2e})")
    return steps


# ---------------------------------------------------------------- merge


def merge_decoders(no_past_path, with_past_path, dst, cfg):
    """optimum's merge_decoders: one graph whose `If` on use_cache_branch runs the no-past
    graph (else) or the with-past graph (then); weights deduplicated by content and stored once
    in the outer graph; the with-past branch returns empty [0, heads, 1, head_dim] encoder K/V."""
    layers, heads = cfg["dec_layers"], cfg["heads"]
    head_dim = cfg["d_model"] // heads
    initializers, by_content = [], {}

    def hoist(graph, prefix):
        rename = {}
        for tensor in graph.initializer:
            array = numpy_helper.to_array(tensor)
            key = (array.dtype.str, array.shape, hashlib.sha256(array.tobytes()).hexdigest())
            if key not in by_content:
                name = tensor.name if all(t.name != tensor.name for t in initializers) else f"{prefix}{tensor.name}"
                shared = numpy_helper.from_array(array, name)
                initializers.append(shared)
                by_content[key] = name
            rename[tensor.name] = by_content[key]
        del graph.initializer[:]
        outer = {"input_ids", "encoder_hidden_states", *decoder_kv_names("past_key_values", layers, True)}
        outputs = {o.name for o in graph.output}
        # Sibling branches are separate scopes, but unique internal names keep every tool happy.
        for node in graph.node:
            for i, name in enumerate(node.input):
                if name in rename:
                    node.input[i] = rename[name]
                elif name and name not in outer and name not in outputs:
                    node.input[i] = prefix + name
            for i, name in enumerate(node.output):
                if name not in outputs:
                    node.output[i] = prefix + name
            node.name = prefix + node.name
        del graph.input[:]
        del graph.value_info[:]
        return graph

    else_graph = hoist(onnx.load(no_past_path).graph, "no_past/")
    else_graph.name = "no_past"
    then_graph = hoist(onnx.load(with_past_path).graph, "with_past/")
    then_graph.name = "with_past"
    log(f"merge: {len(initializers)} shared initializers")

    outputs = ["logits", *decoder_kv_names("present", layers, True)]
    empty = numpy_helper.from_array(np.zeros((0, heads, 1, head_dim), dtype=np.float32))
    for name in outputs:
        if ".encoder." in name:
            then_graph.node.append(helper.make_node("Constant", [], [name], name=f"with_past/{name}", value=empty))
    for graph in (else_graph, then_graph):
        del graph.output[:]
        graph.output.extend(value_info(name, cfg) for name in outputs)

    inputs = ["input_ids", "encoder_hidden_states", *decoder_kv_names("past_key_values", layers, True), "use_cache_branch"]
    node = helper.make_node(
        "If", ["use_cache_branch"], outputs, name="optimum::if", then_branch=then_graph, else_branch=else_graph
    )
    graph = helper.make_graph(
        [node], "merged_decoder", [value_info(n, cfg) for n in inputs], [value_info(n, cfg) for n in outputs], initializers
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="parla make-whisper-random (optimum-style merge)")
    model.ir_version = 8
    onnx.save_model(model, dst)
    onnx.checker.check_model(dst)


# ---------------------------------------------------------------- configs


def slaney_mel_filters(n_mels, n_fft=400, sample_rate=16000, fmax=8000.0):
    """librosa.filters.mel(sr, n_fft, n_mels) with Slaney's scale and area normalisation, as
    openai/whisper's mel_filters.npz and the hub's preprocessor_config.json hold it (float32).
    For 80 bins it equals the fixture's table exactly."""
    f_sp, min_log_hz = 200.0 / 3, 1000.0
    min_log_mel, logstep = min_log_hz / f_sp, math.log(6.4) / 27.0

    def hz_to_mel(f):
        return np.where(f >= min_log_hz, min_log_mel + np.log(np.maximum(f, min_log_hz) / min_log_hz) / logstep, f / f_sp)

    def mel_to_hz(m):
        return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), f_sp * m)

    fft_freqs = np.linspace(0, sample_rate / 2, 1 + n_fft // 2)
    mel_f = mel_to_hz(np.linspace(hz_to_mel(np.float64(0.0)), hz_to_mel(np.float64(fmax)), n_mels + 2))
    fdiff = np.diff(mel_f)
    ramps = np.subtract.outer(mel_f, fft_freqs)
    weights = np.maximum(0, np.minimum(-ramps[:-2] / fdiff[:-1, None], ramps[2:] / fdiff[1:, None]))
    weights *= (2.0 / (mel_f[2:] - mel_f[:-2]))[:, None]
    return weights.astype(np.float32)


def write_configs(out, cfg, fixture, external_encoder):
    with open(os.path.join(fixture, "config.json")) as f:
        config = json.load(f)
    d = cfg["d_model"]
    config.update(
        d_model=d,
        encoder_layers=cfg["enc_layers"],
        decoder_layers=cfg["dec_layers"],
        encoder_attention_heads=cfg["heads"],
        decoder_attention_heads=cfg["heads"],
        encoder_ffn_dim=cfg["ffn"],
        decoder_ffn_dim=cfg["ffn"],
        num_mel_bins=cfg["n_mels"],
        vocab_size=VOCAB,
        max_source_positions=N_AUDIO_CTX,
        max_target_positions=N_TEXT_CTX,
    )
    if external_encoder:
        # As on the hub: transformers.js fetches the encoder's data file too (browsers need this).
        config["transformers.js_config"] = {"use_external_data_format": {"encoder_model.onnx": True}}
    config["_parla_note"] = "RANDOM WEIGHTS, full-size architecture, made by scripts/bench/make-whisper-random.py: for timing only"
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)

    with open(os.path.join(fixture, "preprocessor_config.json")) as f:
        pre = json.load(f)
    pre["feature_size"] = cfg["n_mels"]
    pre["mel_filters"] = [[float(v) for v in row] for row in slaney_mel_filters(cfg["n_mels"])]
    with open(os.path.join(out, "preprocessor_config.json"), "w") as f:
        json.dump(pre, f, indent=2)

    # generation_config (99 languages, the fixture's token ids) and the tokenizer belong together.
    for name in ("generation_config.json", "tokenizer.json", "tokenizer_config.json"):
        shutil.copyfile(os.path.join(fixture, name), os.path.join(out, name))


def check_mel_filters(fixture):
    with open(os.path.join(fixture, "preprocessor_config.json")) as f:
        table = np.array(json.load(f)["mel_filters"], dtype=np.float32)
    if not np.array_equal(table, slaney_mel_filters(table.shape[0])):
        sys.exit("mel filter table differs from the fixture's 80-bin table: the computation is wrong")


# ---------------------------------------------------------------- main


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="data/bench-models/whisper-large-v3-turbo-random")
    parser.add_argument("--preset", choices=sorted(PRESETS), default="large-v3-turbo")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--fixture", default=FIXTURE, help="whisper-tiny-random (tokenizer and configs)")
    args = parser.parse_args()
    cfg = PRESETS[args.preset]
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    check_mel_filters(args.fixture)

    out = os.path.abspath(args.out)
    onnx_dir = os.path.join(out, "onnx")
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(onnx_dir)
    started = time.time()
    work = tempfile.mkdtemp(prefix="whisper-random-", dir=os.path.dirname(out))
    try:
        enc_params, features, encoded = export_encoder(cfg, args.seed, onnx_dir, work)
        dec_params, no_past, with_past, steps = export_decoders(cfg, args.seed, encoded, work)
        merge_decoders(no_past, with_past, os.path.join(onnx_dir, "decoder_model_merged.onnx"), cfg)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write_configs(out, cfg, args.fixture, os.path.exists(os.path.join(onnx_dir, "encoder_model.onnx_data")))

    # What the onnxruntime check compares against: torch's own outputs on the same inputs.
    features.numpy().astype("<f4").tofile(os.path.join(out, "check-features.f32"))
    flat = encoded.reshape(-1)
    check = {
        "preset": args.preset,
        "config": cfg,
        "vocab": VOCAB,
        "seed": args.seed,
        "parameters": {"encoder": enc_params, "decoder": dec_params, "total": enc_params + dec_params},
        "encoder": {
            "shape": list(encoded.shape),
            "head": [round(float(v), 6) for v in flat[:8]],
            "mean": float(flat.mean()),
            "std": float(flat.std()),
        },
        "prompt": CHECK_PROMPT,
        "steps": steps,
    }
    with open(os.path.join(out, "check.json"), "w") as f:
        json.dump(check, f, indent=2)
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write(
            f"# RANDOM WEIGHTS: not a speech model\n\nWhisper {args.preset} architecture ({enc_params + dec_params:,} "
            "parameters) with seeded random weights, in the transformers.js layout, for timing Parla's pipeline "
            "(`npm run bench:stt` with BENCH_WHISPER_DIRS). Its transcripts are noise. Made by "
            "`scripts/bench/make-whisper-random.py`.\n"
        )
    sizes = {name: os.path.getsize(os.path.join(onnx_dir, name)) for name in sorted(os.listdir(onnx_dir))}
    log(f"parameters: encoder {enc_params:,} + decoder {dec_params:,} = {enc_params + dec_params:,}")
    log(f"files: {json.dumps(sizes)}")
    log(f"done in {time.time() - started:.0f} s, peak RSS {peak_rss_gb():.1f} GB: {out}")


if __name__ == "__main__":
    main()
