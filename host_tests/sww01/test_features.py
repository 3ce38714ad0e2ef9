#!/usr/bin/env python3
"""sww01 features: the C++ extractor (benchmarks/sww01/pipeline.cc, run by
sww01_features_tool) against an independent numpy computation written from
the MLPerf Tiny training pipeline's specification
(benchmark/training/streaming_wakeword/get_dataset.py, get_lfbe_func):

  x = int16 / 32768 (channel 0 of the wav: the reference DUT keeps the first
  sample of each stereo I2S frame); pre-emphasis x[n] - (1 - 2^-5) x[n-1]
  with a zero before the first sample; frames of 1024 samples every 512
  (tf.signal.stft, pad_end=False), symmetric Hamming window
  (tf.signal.hamming_window(periodic=False) = numpy.hamming); power
  |rfft|^2 / 1024; tf.signal.linear_to_mel_weight_matrix(40, 513, 16000, 0,
  8000) re-implemented here with numpy; 10 log10 (floored at 1e-30);
  (dB + 52) / 64 clipped to [0, 1]; int8 as the reference DUT and the
  training's evaluate.py cast it: trunc(f / scale - 128), saturated.

Everything here is float64. The DUT streams: its hop n (n >= 1) analyses the
last 1024 samples, zeros before the stream's start, so hop 1 is the frame at
-512 and hop n >= 2 is the training pipeline's frame n - 2.

Tolerance, and why: the DUT computes in float32 (no libm: its own FFT and
log), the reference here in float64. Float32 rounding through the FFT, the
mel sums and the log moves a feature by a few 1e-7 (measured on the test
wavs: at most 3.2e-7, printed), so every float feature must be within 1e-5
of float64 (30x margin; 1e-5 of the [0, 1] range is 0.0006 dB). An int8
feature changes only when that small error straddles a truncation boundary
(1 LSB = 0.0037, so about 3e-7 / 0.0037 = 0.01% of values are expected to
flip; measured: none), hence at most 1 LSB anywhere and on at most 0.1% of
values. A wrong window, mel bank, hop, channel or quantization rule moves
most values by many LSB, so this fails on any real error.
Exit 77 (skip) when the test wav files are not there.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

try:
    import numpy as np
except ImportError:  # Debian's python3-numpy, seen from another python3
    sys.path.append("/usr/lib/python3/dist-packages")
    import numpy as np

HOP, WIN, MELS, SR = 512, 1024, 40, 16000
INPUT_SCALE = np.float32(0.00370104262)  # the model's input scale (zero point -128)
FLOAT_TOL = 1e-5
INT8_MISMATCH_MAX = 0.001
WAVS = ["short_wav_easy10s.wav", "marvin_617de221_0.wav"]
RECORD = np.dtype([("q", "i1", (MELS,)), ("f", "<f4", (MELS,)), ("scores", "i1", (3,)), ("flags", "u1")])


def mel_weights(num_mel=MELS, num_bins=WIN // 2 + 1, sr=SR, lo=0.0, hi=SR / 2):
    """tf.signal.linear_to_mel_weight_matrix, numpy, float64."""
    def to_mel(f):
        return 1127.0 * np.log1p(np.asarray(f, dtype=np.float64) / 700.0)
    freqs = np.linspace(0.0, sr / 2, num_bins)[1:]  # the DC bin is zeroed
    bins_mel = to_mel(freqs)[:, None]
    edges = np.linspace(to_mel(lo), to_mel(hi), num_mel + 2)
    lower, center, upper = edges[:-2], edges[1:-1], edges[2:]
    w = np.maximum(0.0, np.minimum((bins_mel - lower) / (center - lower), (upper - bins_mel) / (upper - center)))
    return np.vstack([np.zeros((1, num_mel)), w])


def reference_features(x16: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x = x16.astype(np.float64) / 32768.0
    y = x - (1.0 - 2.0 ** -5) * np.concatenate([[0.0], x[:-1]])
    y = np.concatenate([np.zeros(WIN - HOP), y])  # the DUT's zero history
    hops = len(x16) // HOP
    frames = np.stack([y[k * HOP:k * HOP + WIN] for k in range(hops)])
    spec = np.fft.rfft(frames * np.hamming(WIN), axis=1)
    power = np.abs(spec) ** 2 / WIN
    mel = np.maximum(power @ mel_weights(), 1e-30)
    f = np.clip((10.0 * np.log10(mel) + 52.0) / 64.0, 0.0, 1.0)
    q = np.clip(np.trunc(f / float(INPUT_SCALE) - 128.0), -128, 127).astype(np.int8)
    return f, q


def channel0(path: Path) -> np.ndarray:
    with wave.open(str(path)) as w:
        assert w.getsampwidth() == 2 and w.getframerate() == SR, path
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
        return data.reshape(-1, w.getnchannels())[:, 0].copy()


def run_tool(tool: str, x16: np.ndarray) -> np.ndarray:
    with tempfile.TemporaryDirectory() as tmp:
        raw, out = Path(tmp) / "in.raw", Path(tmp) / "out.bin"
        raw.write_bytes(x16.astype("<i2").tobytes())
        subprocess.run([tool, str(raw), str(out)], check=True)
        return np.frombuffer(out.read_bytes(), dtype=RECORD)


def run_model(tool: str, windows: np.ndarray) -> np.ndarray:
    with tempfile.TemporaryDirectory() as tmp:
        inp, out = Path(tmp) / "windows.bin", Path(tmp) / "scores.bin"
        inp.write_bytes(windows.astype(np.int8).tobytes())
        subprocess.run([tool, "--model", str(inp), str(out)], check=True)
        return np.frombuffer(out.read_bytes(), dtype=np.int8).reshape(-1, 3)


def check(tool: str, path: Path) -> list[str]:
    x16 = channel0(path)
    got = run_tool(tool, x16)
    f_ref, q_ref = reference_features(x16)
    errors = []
    if len(got) != len(f_ref):
        return [f"{path.name}: {len(got)} hops from the DUT code, {len(f_ref)} expected"]
    fdiff = np.abs(got["f"].astype(np.float64) - f_ref)
    qdiff = np.abs(got["q"].astype(np.int32) - q_ref.astype(np.int32))
    mism = float(np.mean(qdiff != 0))
    print(f"{path.name}: {len(got)} hops x {MELS} features; float max |diff| {fdiff.max():.2e} "
          f"(tolerance {FLOAT_TOL:g}); int8 differ on {int(np.sum(qdiff != 0))} of {qdiff.size} "
          f"({100 * mism:.3f}%, at most {100 * INT8_MISMATCH_MAX:g}%), max {qdiff.max()} LSB; "
          f"features saturating (f/scale > 255): {int(np.sum(f_ref / float(INPUT_SCALE) > 255.0))}; "
          f"hops with a detection (score[0] > 115): {int(np.sum(got['flags'] & 1))}, at "
          f"{', '.join(f'{t:.2f}' for t in (np.nonzero(got['flags'] & 1)[0] + 1) * HOP / SR)} s")
    if fdiff.max() > FLOAT_TOL:
        i = np.unravel_index(np.argmax(fdiff), fdiff.shape)
        errors.append(f"{path.name}: float feature hop {i[0]} band {i[1]}: {got['f'][i]} vs {f_ref[i]}")
    if qdiff.max() > 1:
        errors.append(f"{path.name}: an int8 feature differs by {qdiff.max()} LSB")
    if mism > INT8_MISMATCH_MAX:
        errors.append(f"{path.name}: int8 features differ on {100 * mism:.3f}% of values")
    # The model input is the last 30 frames, oldest first, int8 0 before the
    # stream's 30th hop (the reference clears its input at `start`): the
    # pipeline's scores equal the model run alone on windows built here from
    # the numpy features.
    frames = np.concatenate([np.zeros((29, MELS), dtype=np.int8), q_ref])
    windows = np.stack([frames[h:h + 30] for h in range(len(q_ref))])
    want_scores = run_model(tool, windows)
    if not np.array_equal(got["scores"], want_scores):
        bad = int(np.argmax(np.any(got["scores"] != want_scores, axis=1)))
        errors.append(f"{path.name}: hop {bad}: pipeline scores {got['scores'][bad]} != model on the "
                      f"host's window {want_scores[bad]}")
    # The flags follow the reference's rule from the scores printed beside them.
    want = ((got["scores"][:, 0].astype(np.int32) > 115).astype(np.uint8)
            | np.where(np.arange(len(got)) == 0, 2, 0).astype(np.uint8))
    if not np.array_equal(got["flags"], want):
        errors.append(f"{path.name}: detection flags do not follow score[0] > 115 / first hop")
    if np.ptp(q_ref.astype(np.int32)) < 50:
        errors.append(f"{path.name}: the reference features are flat: not a meaningful test")
    return errors


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool", required=True)
    ap.add_argument("--data", required=True, type=Path)
    args = ap.parse_args()
    paths = [args.data / w for w in WAVS if (args.data / w).exists()]
    if not paths:
        print(f"no sww01 test wav in {args.data}: skipped")
        return 77
    errors = []
    for p in paths:
        errors += check(args.tool, p)
    for e in errors:
        print("FAIL:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
