# -*- Python -*-
# Runs every GoogleTest binary under build/test/unit (named *Tests).

import os
import lit.formats

config.name = "INTC-Unit"
config.suffixes = []
config.test_exec_root = os.path.join(config.intc_obj_root, "test", "unit")
config.test_source_root = config.test_exec_root
config.test_format = lit.formats.GoogleTest(config.llvm_build_mode, "Tests")
config.environment["INTC_SHARED_DIR"] = config.intc_shared_dir
config.environment["INTC_SOURCE_DIR"] = config.intc_src_root
