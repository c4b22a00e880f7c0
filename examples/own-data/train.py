#!/usr/bin/env python3
"""Trains the shapes model from Python, on NumPy arrays, with intc's Python
package, then checks that it got the same weights as `intc train`.

    PYTHONPATH=../../build/python python3 train.py [--epochs 25] shapes run-cli run-py

Loads the image folder with PIL in the order intc's image-folder reader uses
(classes and files in name order), trains with the same seed and epochs as
the README's CLI run, prints each epoch, predicts a few test images, saves
the model where `intc eval`, `intc predict` and `intc plot` can use it, and
compares its weights with RUN_CLI/model.safetensors (if that run exists).
"""
import argparse
import os
import sys

import numpy as np
from PIL import Image

import intc

HERE = os.path.dirname(os.path.abspath(__file__))


def load_split(root, split, classes=None):
    """Images (N, 1, 28, 28) uint8 and labels of ROOT/SPLIT/<class>/*.png."""
    folder = os.path.join(root, split)
    classes = classes or sorted(os.listdir(folder))
    xs, ys = [], []
    for label, name in enumerate(classes):
        class_dir = os.path.join(folder, name)
        if not os.path.isdir(class_dir):
            continue
        for file in sorted(os.listdir(class_dir)):
            xs.append(np.asarray(Image.open(os.path.join(class_dir, file))))
            ys.append(label)
    return np.stack(xs)[:, None], np.array(ys, dtype=np.uint8), classes


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", default="shapes")
    ap.add_argument("cli_run", nargs="?", default="run-cli")
    ap.add_argument("py_run", nargs="?", default="run-py")
    ap.add_argument("--epochs", type=int, default=25)
    a = ap.parse_args()
    data, cli_run, py_run = a.data, a.cli_run, a.py_run
    x, y, classes = load_split(data, "train")
    xt, yt, _ = load_split(data, "test", classes)
    print("data: %d train, %d test images of %s, classes %s" % (
        len(x), len(xt), x.shape[1:], ", ".join(classes)))

    model = intc.compile(os.path.join(HERE, "shapes.mlir"))
    print("model @%s: input %s, %d classes, batch %d, %d weights" % (
        model.name, model.input_shape, model.num_classes, model.batch,
        model.num_weights))

    def report(epoch):
        print("epoch %2d: train %.2f%%, test %.2f%%, lr_inv %d" % (
            epoch["epoch"], 100 * epoch["train_accuracy"],
            100 * epoch["test_accuracy"], epoch["lr_inv"]))

    summary = model.train(x, y, epochs=a.epochs, seed=42, x_test=xt, y_test=yt,
                          on_epoch=report, out_dir=py_run)
    print("best test accuracy %.2f%% (epoch %d)" % (
        100 * summary["best_test_accuracy"], summary["best_epoch"]))

    picks = xt[::len(xt) // 4][:4], yt[::len(yt) // 4][:4]
    classes_pred, scores = model.predict(picks[0])
    for i in range(4):
        print("test image %d: %s (true %s), scores %s" % (
            i, classes[classes_pred[i]], classes[picks[1][i]], scores[i].tolist()))

    cli_checkpoint = os.path.join(cli_run, "model.safetensors")
    if os.path.exists(cli_checkpoint):
        cli = intc.compile(os.path.join(HERE, "shapes.mlir"))
        cli.load(cli_checkpoint)
        same = all((cli.weights[k] == w).all() for k, w in model.weights.items())
        print("weights %s the CLI's (%s)" % (
            "equal" if same else "DIFFER FROM", cli_checkpoint))
        if not same:
            sys.exit(1)


if __name__ == "__main__":
    main()
