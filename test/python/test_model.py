"""intc's Python package: train, evaluate, predict, save/load, bit-identity
with the intc tool, exceptions and the released GIL."""
import os
import subprocess
import threading
import time

import numpy as np
import pytest

import intc
from conftest import TINY_MODEL


def train_tiny(data, **kw):
    x, y, xt, yt = data
    model = intc.compile(TINY_MODEL)
    summary = model.train(x, y, epochs=kw.pop("epochs", 4), seed=7,
                          x_test=xt, y_test=yt, **kw)
    return model, summary


def test_compile_reports_the_model(model_path):
    model = intc.compile(model_path)
    assert model.name == "tiny"
    assert model.input_shape == (1, 8, 8)
    assert model.num_classes == 4
    assert model.batch == 16
    assert not model.trained


def test_train_goes_well_above_chance(data):
    model, summary = train_tiny(data)
    assert summary["epochs_run"] == 4
    assert [h["epoch"] for h in summary["history"]] == [1, 2, 3, 4]
    assert summary["best_test_accuracy"] >= 0.9, summary
    ev = model.evaluate(data[2], data[3])
    assert ev["seen"] == 160
    assert ev["accuracy"] >= 0.9, ev


def test_predict_agrees_with_evaluate(data):
    model, _ = train_tiny(data)
    classes, scores = model.predict(data[2])
    assert classes.shape == (160,) and scores.shape == (160, 4)
    assert scores.dtype == np.int8
    assert (classes == np.argmax(scores, axis=1)).all()
    ev = model.evaluate(data[2], data[3])
    assert int((classes == data[3]).sum()) == ev["correct"]
    # NHWC input gives the same predictions as NCHW.
    nhwc = np.ascontiguousarray(data[2].transpose(0, 2, 3, 1))
    assert (model.predict(nhwc, layout="nhwc")[1] == scores).all()


def test_save_load_round_trip(data, tmp_path):
    model, _ = train_tiny(data)
    path = str(tmp_path / "model.safetensors")
    model.save(path)
    again = intc.compile(TINY_MODEL)
    again.load(path)
    assert again.trained
    assert again.normalization == model.normalization
    for name, w in model.weights.items():
        assert w.dtype == np.int32
        assert (again.weights[name] == w).all(), name
    assert (again.predict(data[2])[1] == model.predict(data[2])[1]).all()


def test_same_weights_as_the_cli(data, model_path, intc_bin, tmp_path):
    x, y, xt, yt = data
    npz = tmp_path / "data.npz"
    np.savez(npz, x_train=x, y_train=y, x_test=xt, y_test=yt)
    run = tmp_path / "run"
    subprocess.run([intc_bin, "train", model_path, "-data=%s" % npz,
                    "-epochs=3", "-seed=7", "-no-progress", "-o", str(run)],
                   check=True, stdout=subprocess.DEVNULL)
    cli = intc.compile(model_path)
    cli.load(str(run / "model.safetensors"))
    model, _ = train_tiny(data, epochs=3)
    assert set(cli.weights) == set(model.weights)
    for name, w in model.weights.items():
        assert (cli.weights[name] == w).all(), name
    # The reference runtime trains to the same weights too.
    ref = intc.compile(TINY_MODEL, target="ref")
    ref.train(x, y, epochs=3, seed=7, x_test=xt, y_test=yt)
    for name, w in model.weights.items():
        assert (ref.weights[name] == w).all(), name


def test_compile_cache(data, tmp_path, monkeypatch):
    """compile() keeps the compiled code in the compile cache: one entry
    per model and code options, reused by the next compile(), and the same
    weights as cache=False."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("INTC_CACHE_DIR", str(cache))
    x, y, xt, yt = data
    cached = intc.compile(TINY_MODEL)
    entries = sorted(os.listdir(cache))
    assert len(entries) == 1 and entries[0].endswith(".entry"), entries
    again = intc.compile(TINY_MODEL)
    assert sorted(os.listdir(cache)) == entries
    intc.compile(TINY_MODEL, batch=8)
    assert len(os.listdir(cache)) == 2
    fresh = intc.compile(TINY_MODEL, cache=False)
    assert len(os.listdir(cache)) == 2
    for model in (cached, again, fresh):
        model.train(x, y, epochs=2, seed=7, x_test=xt, y_test=yt)
    for name, w in fresh.weights.items():
        assert (cached.weights[name] == w).all(), name
        assert (again.weights[name] == w).all(), name


def test_resume_continues_bit_exactly(data):
    x, y, xt, yt = data
    straight, _ = train_tiny(data, epochs=4)
    model = intc.compile(TINY_MODEL)
    model.train(x, y, epochs=2, seed=7, x_test=xt, y_test=yt)
    model.train(x, y, epochs=4, seed=7, x_test=xt, y_test=yt, resume=True)
    for name, w in straight.weights.items():
        assert (model.weights[name] == w).all(), name


def test_on_epoch_sees_every_epoch_and_can_stop(data):
    seen = []

    def stop_after_two(record):
        seen.append(record["epoch"])
        return record["epoch"] < 2

    _, summary = train_tiny(data, on_epoch=stop_after_two)
    assert seen == [1, 2]
    assert summary["stop_reason"] == "stopped"


def test_callback_exception_propagates(data):
    def boom(record):
        raise ValueError("stop here")

    with pytest.raises(ValueError, match="stop here"):
        train_tiny(data, on_epoch=boom)


def test_errors_raise_with_the_cli_messages(data, tmp_path):
    x, y, xt, yt = data
    with pytest.raises(intc.IntcError, match=r"<source[ 0-9]*>:\d+:\d+: error"):
        intc.compile(TINY_MODEL.replace("features 32", "features 0"))
    with pytest.raises(intc.IntcError, match="cannot read model file"):
        intc.compile(str(tmp_path / "missing.mlir"))
    model = intc.compile(TINY_MODEL)
    with pytest.raises(intc.IntcError, match="no weights"):
        model.predict(xt)
    with pytest.raises(intc.IntcError, match="integer-only"):
        model.train(x.astype(np.float32), y, epochs=1)
    with pytest.raises(intc.IntcError, match=r"\[1, 7, 7\].*\[1, 8, 8\]"):
        model.train(x[:, :, :7, :7], y, epochs=1)
    with pytest.raises(intc.IntcError, match="label"):
        model.train(x, (y + 4).astype(np.uint8), epochs=1)
    with pytest.raises(intc.IntcError, match="missing.safetensors"):
        model.load(str(tmp_path / "missing.safetensors"))
    with pytest.raises(ValueError, match="layout"):
        model.predict(xt, layout="hwc")


def test_training_releases_the_gil(data):
    x, y, xt, yt = data
    model = intc.compile(TINY_MODEL)
    big_x, big_y = np.tile(x, (8, 1, 1, 1)), np.tile(y, 8)
    ticks = 0
    done = threading.Event()

    def train():
        model.train(big_x, big_y, epochs=30, seed=1)
        done.set()

    worker = threading.Thread(target=train)
    start = time.monotonic()
    worker.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    worker.join()
    elapsed = time.monotonic() - start
    # With the GIL held for the whole run this thread would not tick at all.
    assert ticks > 10 and elapsed > 0.02, (ticks, elapsed)
