"""Writes tests/golden/audio_goldens.npz with TensorFlow's DecodeWav / EncodeWav /
AudioSpectrogram / Mfcc outputs for small fixed inputs.

Run with the scratch TensorFlow venv (never a tfcompat dependency), from the repository root:
    /work/tfvenv/bin/python tests/golden/make_audio_goldens.py
"""
import os

import numpy as np
import tensorflow as tf

raw = tf.raw_ops


def signal():
    """Two channels, 300 samples: a chirp and noise, in [-1.2, 1.2] so encoding clips."""
    rng = np.random.RandomState(7)
    t = np.arange(300) / 8000.0
    chirp = 1.2 * np.sin(2 * np.pi * (200 + 3000 * t) * t)
    noise = rng.uniform(-0.5, 0.5, 300)
    return np.stack([chirp, noise], axis=1).astype(np.float32)


def speech_signal():
    """The speech_commands example's input size: one second of 16 kHz mono (tones + noise);
    tests rebuild it with this same code instead of storing it."""
    rng = np.random.RandomState(11)
    t = np.arange(16000) / 16000.0
    tones = 0.3 * np.sin(2 * np.pi * 440 * t) + 0.2 * np.sin(2 * np.pi * 1500 * t ** 2)
    return (tones + 0.05 * rng.standard_normal(16000))[:, None].astype(np.float32)


def main():
    audio = signal()
    wav = raw.EncodeWav(audio=audio, sample_rate=8000).numpy()
    decoded, rate = raw.DecodeWav(contents=wav, desired_channels=3, desired_samples=320)
    out = {"audio": audio, "wav": np.frombuffer(wav, np.uint8), "decoded": decoded.numpy(),
           "rate": rate.numpy()}
    for squared in (False, True):
        out[f"spectrogram_{int(squared)}"] = raw.AudioSpectrogram(
            input=audio, window_size=48, stride=20, magnitude_squared=squared).numpy()
    spectrogram = out["spectrogram_1"]
    out["mfcc_default"] = raw.Mfcc(spectrogram=spectrogram, sample_rate=8000).numpy()
    out["mfcc_custom"] = raw.Mfcc(spectrogram=spectrogram, sample_rate=16000,
                                  upper_frequency_limit=7000., lower_frequency_limit=100.,
                                  filterbank_channel_count=20, dct_coefficient_count=10).numpy()
    speech = speech_signal()
    speech_spectrogram = raw.AudioSpectrogram(input=speech, window_size=480, stride=160,
                                              magnitude_squared=True)
    out["speech_mfcc"] = raw.Mfcc(spectrogram=speech_spectrogram, sample_rate=16000,
                                  dct_coefficient_count=40).numpy()
    np.savez_compressed(os.path.join(os.path.dirname(__file__), "audio_goldens.npz"), **out)


if __name__ == "__main__":
    main()
