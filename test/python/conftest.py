"""Shared fixtures of the Python package's tests: a tiny model and a small,
separable synthetic dataset (4 classes of 1x8x8 images, a bright square in
one quadrant plus noise), seeded so every run sees the same data."""
import os

import numpy as np
import pytest

TINY_MODEL = """
intc.model @tiny(%x: tensor<?x1x8x8xi8>) attributes {batch = 16, num_classes = 4} {
  %0 = intc.flatten %x : tensor<?x1x8x8xi8> -> tensor<?x64xi8>
  %1 = intc.local_linear_block %0 features 32 activation nitro_leaky_relu<4>
         {decay_inv = 12000, head_decay_inv = 3000} : tensor<?x64xi8> -> tensor<?x32xi8>
  %2 = intc.output_layer %1 {decay_inv = 3000} : tensor<?x32xi8> -> tensor<?x4xi8>
  intc.yield %2 : tensor<?x4xi8>
}
"""


def make_images(n, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 4, size=n).astype(np.uint8)
    x = rng.integers(0, 60, size=(n, 1, 8, 8)).astype(np.uint8)
    for i, label in enumerate(y):
        r, c = divmod(int(label), 2)
        x[i, 0, r * 4:r * 4 + 4, c * 4:c * 4 + 4] += 150
    return x, y


@pytest.fixture(scope="session")
def data():
    x, y = make_images(640, 1)
    xt, yt = make_images(160, 2)
    return x, y, xt, yt


@pytest.fixture(scope="session")
def model_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("model") / "tiny.mlir"
    path.write_text(TINY_MODEL)
    return str(path)


@pytest.fixture(scope="session")
def intc_bin():
    path = os.environ.get("INTC_BIN")
    if not path:
        pytest.skip("INTC_BIN (the intc tool) is not set")
    return path
