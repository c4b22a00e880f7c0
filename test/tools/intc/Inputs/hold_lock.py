"""hold_lock.py FILE CMD...  runs CMD while this process holds a POSIX
(fcntl) write lock on FILE, the kind llvm::sys::fs::tryLockFile takes; exits
with CMD's status. Used to test that intc refuses a busy run directory."""
import fcntl
import subprocess
import sys

with open(sys.argv[1], "a") as f:
    fcntl.lockf(f, fcntl.LOCK_EX)
    sys.exit(subprocess.call(sys.argv[2:]))
