# -*- Python -*-
# The fuzz targets' regression tests (check-intc-fuzz, INTC_FUZZ=ON builds
# only): each <target>.test runs its fuzz target once on every reproducer of
# a past finding and every seed. The main suite (test/lit.cfg.py) excludes
# this folder.

import os

import lit.formats
from lit.llvm import llvm_config

config.name = "INTC-Fuzz"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.intc_obj_root, "test", "fuzz")
config.excludes = ["corpus", "reproducers"]

llvm_config.use_default_substitutions()
# Sanitizer reports abort (and say why) rather than exit quietly.
config.environment["ASAN_OPTIONS"] = "abort_on_error=1"
config.environment["UBSAN_OPTIONS"] = "print_stacktrace=1"
fuzzers = ["intc-fuzz-" + t for t in ("checkpoint", "idx", "cifar10", "npy",
                                      "npz", "image", "array-images", "model")]
llvm_config.add_tool_substitutions(fuzzers, [config.intc_tools_dir])
