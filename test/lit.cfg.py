# -*- Python -*-
# lit configuration for the intc regression tests (FileCheck style).

import os

import lit.formats
import lit.util
from lit.llvm import llvm_config

config.name = "INTC"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.intc_obj_root, "test")
# unit/ and fuzz/ are suites of their own (fuzz/ only in INTC_FUZZ builds;
# its corpus holds .mlir seeds that are not tests).
config.excludes = ["CMakeLists.txt", "README.md", "lit.cfg.py", "lit.site.cfg.py",
                   "Inputs", "unit", "fuzz"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%intc_src_root", config.intc_src_root))
config.substitutions.append(("%examples", os.path.join(config.intc_src_root, "examples")))
config.substitutions.append(("%shared", config.intc_shared_dir))
# The CIFAR-10 copy of ../shared (tests that read real CIFAR-10 batches).
if os.path.isdir(os.path.join(config.intc_shared_dir, "data", "cifar10")):
    config.available_features.add("cifar10-data")
# For test/docs: regenerating the TableGen references needs mlir-tblgen and
# MLIR's .td include directory (Debian: /usr/lib/llvm-22/{bin,include}).
config.substitutions.append(("%mlir_tblgen", os.path.join(config.llvm_tools_dir, "mlir-tblgen")))
config.substitutions.append(("%mlir_include_dir",
                             os.path.normpath(os.path.join(config.llvm_tools_dir, "..", "include"))))

# Building and running generated code: the host C compiler and the runtime
# libraries (include paths are relative to the repository root).
config.substitutions.append(("%cc", config.host_cc))
config.substitutions.append(("%runtime_c_lib", os.path.join(config.intc_obj_root, "runtime", "c", "libintc_runtime_c.a")))
config.substitutions.append(("%runtime_cpu_lib", os.path.join(config.intc_obj_root, "runtime", "cpu", "libintc_runtime_cpu.a")))
config.substitutions.append(("%python", config.python_executable))
# The build's copy of the Python package (python/CMakeLists.txt), for
# PYTHONPATH.
config.substitutions.append(("%intc_python_dir", config.intc_python_dir))
# The compiled extension (built when CMake found pybind11).
import glob
if glob.glob(os.path.join(config.intc_python_dir, "intc", "_intc*.so")):
    config.available_features.add("python-extension")
config.substitutions.append(("%intc_bin", os.path.join(config.intc_tools_dir, "intc")))
# The cuda target's runtime (built when CMake found the CUDA toolkit): the
# library, cuda.h for programs that include its headers, and the sm_90 PTX of
# the tensor-core kernels.
cuda_runtime_lib = os.path.join(config.intc_obj_root, "runtime", "cuda", "libintc_runtime_cuda.a")
cuda_gemm_ptx = os.path.join(config.intc_obj_root, "runtime", "cuda", "intc_cuda_gemm.ptx")
config.substitutions.append(("%runtime_cuda_lib", cuda_runtime_lib))
config.substitutions.append(("%cuda_gemm_ptx", cuda_gemm_ptx))
if os.path.exists(cuda_runtime_lib) and os.path.exists(cuda_gemm_ptx):
    config.available_features.add("cuda-runtime")
# ptxas (the CUDA toolkit's assembler) checks generated PTX and makes cubins.
ptxas = lit.util.which("ptxas") or lit.util.which("ptxas", "/usr/local/cuda/bin")
if ptxas:
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", ptxas))
config.substitutions.append(("%data_dir", config.intc_data_dir))

llvm_config.use_default_substitutions()
llvm_config.with_system_environment(["HOME", "INTC_DATA_DIR", "TMPDIR"])

# The compile cache (lib/Target/Common/CompileCache.h): the tests keep theirs
# in the build tree, never in ~/.cache, and every lit run starts with an
# empty one. Tests share it within a run (the same model compiled with the
# same options by many tests is compiled once; concurrent tests exercise the
# atomic writes); a test that looks at the cache itself uses a directory of
# its own (test/tools/intc/compile-cache.test). A shared entry cannot change
# a result: cached and fresh code are the same bytes, and the tests that
# compare weights bit for bit run on both.
import shutil
intc_cache_dir = os.path.join(config.test_exec_root, "compile-cache")
shutil.rmtree(intc_cache_dir, ignore_errors=True)
config.environment["INTC_CACHE_DIR"] = intc_cache_dir
config.environment.pop("XDG_CACHE_HOME", None)

tool_dirs = [config.intc_tools_dir, config.llvm_tools_dir]
tools = ["intc-opt", "intc", "mlir-translate", "mlir-opt", "FileCheck", "not", "count",
         "split-file", "llvm-nm", "clang"]
llvm_config.add_tool_substitutions(tools, tool_dirs)
llvm_config.with_environment("PATH", config.intc_tools_dir, append_path=True)

# Optional capabilities, as lit features.
if os.path.isdir(os.path.join(config.intc_data_dir, "mnist")):
    config.available_features.add("mnist-data")
if lit.util.which("nvidia-smi") and os.path.exists("/dev/nvidia0"):
    config.available_features.add("cuda-gpu")
# The C target's microcontroller checks: the bare-metal ARM toolchain, and
# QEMU for the firmware demo (scripts/install-deps.sh installs both).
if lit.util.which("arm-none-eabi-gcc") and lit.util.which("arm-none-eabi-nm"):
    config.available_features.add("arm-none-eabi")
if lit.util.which("qemu-system-arm"):
    config.available_features.add("qemu-system-arm")
# The firmware demo (examples/firmware), built when CMake found the ARM
# toolchain and MNIST: the board image and the same program for the host.
if config.intc_firmware == "ON":
    config.available_features.add("firmware")
config.substitutions.append(("%firmware_dir",
                             os.path.join(config.intc_obj_root, "examples", "firmware")))

# Distributed training (mpirun; CMake found MPI). CI runs as root, which Open
# MPI refuses unless told; --oversubscribe lets 4 ranks share 2 cores.
if config.intc_have_mpi == "ON" and lit.util.which("mpirun"):
    config.available_features.add("mpi")
    config.substitutions.append(("%mpirun", "mpirun --oversubscribe --allow-run-as-root"))
# intc was built with NCCL (runtime/cuda found nccl.h): multi-GPU runs sum
# their gradients on the devices.
if getattr(config, "intc_have_nccl", "") == "ON":
    config.available_features.add("nccl")
