"""Crash-consistency tests of `intc train`'s run directory.

usage:
  crash_consistency.py kill INTC WORK KILLS SEED -- TRAIN-ARGS...
  crash_consistency.py disk-full INTC WORK -- TRAIN-ARGS...

kill: trains TRAIN-ARGS once without interruption (WORK/straight), then
again in WORK/killed, killing `intc train` with SIGKILL KILLS times: every
fifth life inside a checkpoint write (INTC_TEST_KILL_IN_WRITE, the moment
the temporary holds the new checkpoint and the old one is still in place),
the others at a random moment of the life (SEED, uniform over about twice
the measured start-up plus a few epochs). After every kill the directory's
checkpoint, if the run has written one yet, must load (`intc eval`), and the
next life resumes from it (-resume). The last life runs to the end; its
checkpoint must equal the uninterrupted run's byte for byte.

disk-full: trains one epoch, then resumes for more epochs with the size of
any file the process writes limited (RLIMIT_FSIZE; intc ignores SIGXFSZ,
so the write fails with EFBIG as it would with ENOSPC on a full disk) below the checkpoint's size. The
run must stop with an error naming the checkpoint, and the checkpoint of
epoch 1 must be intact, with no temporary left behind.
"""
import filecmp
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time


def train(intc, args, out, resume=False, env=None, **kw):
    cmd = [intc, "train"] + args + ["-no-progress", "-o", out]
    if resume:
        cmd.append("-resume")
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env, **kw)


def loads(intc, args, checkpoint):
    """`intc eval` on the checkpoint: the model and data of TRAIN-ARGS."""
    model_and_data = [a for a in args if not a.startswith(("-epochs", "-batch"))]
    batch = [a for a in args if a.startswith("-batch")]
    result = subprocess.run([intc, "eval"] + model_and_data + batch +
                            ["-weights=" + checkpoint],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return result.returncode == 0, result.stdout.decode(errors="replace")


def kill_test(intc, work, kills, seed, args):
    rng = random.Random(seed)
    straight = os.path.join(work, "straight")
    start = time.monotonic()
    p = train(intc, args, straight)
    _, err = p.communicate()
    if p.returncode != 0:
        sys.exit("the uninterrupted run failed:\n" + err.decode())
    whole = time.monotonic() - start

    killed = os.path.join(work, "killed")
    checkpoint = os.path.join(killed, "model.safetensors")
    done = in_write = torn = before_first = finished = life = 0
    while done < kills:
        life += 1
        if life > 3 * kills:
            sys.exit("%d lives, %d kills: the run finishes before its kills"
                     % (life - 1, done))
        env = dict(os.environ)
        by_hook = done % 5 == 4
        if by_hook:
            env["INTC_TEST_KILL_IN_WRITE"] = str(rng.randint(1, 3))
        p = train(intc, args, killed, resume=os.path.exists(checkpoint),
                  env=env)
        if not by_hook:
            time.sleep(rng.uniform(0.0, whole / 4))
            p.send_signal(signal.SIGKILL)
        _, err = p.communicate()
        if p.returncode == 0:
            # It finished before its kill: train again from the start, so
            # that the next kills interrupt training too.
            finished += 1
            os.remove(checkpoint)
            continue
        if p.returncode != -signal.SIGKILL:
            sys.exit("life %d: intc train failed instead of being killed "
                     "(status %d):\n%s" % (life, p.returncode, err.decode()))
        done += 1
        if by_hook:
            in_write += 1
        elif os.path.isdir(killed) and any(".tmp-" in f
                                           for f in os.listdir(killed)):
            torn += 1  # A random kill that landed inside a write.
        if not os.path.exists(checkpoint):
            before_first += 1
            continue
        ok, out = loads(intc, args, checkpoint)
        if not ok:
            sys.exit("life %d: the checkpoint left by a kill does not load:\n%s"
                     % (life, out))
    p = train(intc, args, killed, resume=os.path.exists(checkpoint))
    _, err = p.communicate()
    if p.returncode != 0:
        sys.exit("the final resume failed:\n" + err.decode())
    if not filecmp.cmp(os.path.join(straight, "model.safetensors"),
                       checkpoint, shallow=False):
        sys.exit("the resumed run's weights differ from the uninterrupted run's")
    print("crash-consistency: %d kills (%d inside a checkpoint write, %d more "
          "that left a torn temporary, %d before the first checkpoint) in %d "
          "lives (%d finished first and started over); resumed weights equal "
          "the uninterrupted run's"
          % (done, in_write, torn, before_first, life, finished))


def disk_full_test(intc, work, args):
    run = os.path.join(work, "run")
    first = [a for a in args if not a.startswith("-epochs")] + ["-epochs=1"]
    p = train(intc, first, run)
    _, err = p.communicate()
    if p.returncode != 0:
        sys.exit("the first epoch failed:\n" + err.decode())
    checkpoint = os.path.join(run, "model.safetensors")
    saved = os.path.join(work, "epoch1.safetensors")
    shutil.copyfile(checkpoint, saved)
    limit = os.path.getsize(checkpoint) // 2

    def full_disk():
        # intc itself ignores SIGXFSZ, so the write fails with EFBIG.
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    p = train(intc, args, run, resume=True, preexec_fn=full_disk)
    _, err = p.communicate()
    err = err.decode(errors="replace")
    if p.returncode == 0:
        sys.exit("the run succeeded although no checkpoint fits")
    sys.stdout.write(err)
    if not filecmp.cmp(saved, checkpoint, shallow=False):
        sys.exit("the checkpoint of epoch 1 changed")
    left = [f for f in os.listdir(run) if ".tmp-" in f]
    if left:
        sys.exit("temporaries left behind: %s" % left)
    ok, out = loads(intc, args, checkpoint)
    if not ok:
        sys.exit("the checkpoint of epoch 1 no longer loads:\n" + out)
    print("disk-full: the checkpoint of epoch 1 is intact and loads")


def main():
    split = sys.argv.index("--")
    mode, rest, args = sys.argv[1], sys.argv[2:split], sys.argv[split + 1:]
    if mode == "kill":
        intc, work, kills, seed = rest
        kill_test(intc, work, int(kills), int(seed), args)
    elif mode == "disk-full":
        intc, work = rest
        disk_full_test(intc, work, args)
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
