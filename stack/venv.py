"""Ensure the Python virtualenv for the local test stack exists, and print its python.

Run with the system python3 (stdlib only). The venv lives outside the clone, in
${REGISTRY_GRAPH_CACHE:-~/.cache/registry-graph}/venv-<sha256(requirements.txt)[:12]>,
so every clone/worktree shares one build and a change to requirements.txt gets a fresh one.

A venv cannot be renamed after it is built (its scripts carry absolute shebangs), so it is
built in place and a `.complete` marker is written last: a directory without the marker is
an interrupted build and is wiped and rebuilt. An exclusive fcntl lock makes concurrent
callers wait for one build instead of racing. pip's output goes to stderr; the venv's
python path is the last (and only) line on stdout.
"""

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path


def log(msg: str) -> None:
    print(f"venv: {msg}", file=sys.stderr, flush=True)


def main() -> int:
    reqs = Path(__file__).resolve().with_name("requirements.txt")
    digest = hashlib.sha256(reqs.read_bytes()).hexdigest()[:12]
    cache = Path(os.environ.get("REGISTRY_GRAPH_CACHE") or "~/.cache/registry-graph").expanduser()
    target = cache / f"venv-{digest}"
    python = target / "bin" / "python"
    marker = target / ".complete"

    if not marker.exists():
        cache.mkdir(parents=True, exist_ok=True)
        with open(cache / f"venv-{digest}.lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                log(f"another process is building {target}; waiting for it")
                fcntl.flock(lock, fcntl.LOCK_EX)
            if not marker.exists():  # the other process may have finished it meanwhile
                build(reqs, target, marker)

    print(python, flush=True)
    return 0


def build(reqs: Path, target: Path, marker: Path) -> None:
    if target.exists():
        log(f"removing incomplete build {target}")
        shutil.rmtree(target)
    started = time.monotonic()
    log(f"building {target} from {reqs} (first run takes a few minutes)")
    # -I: this file is itself named venv.py and would shadow the stdlib module.
    subprocess.run([sys.executable, "-I", "-m", "venv", str(target)], stdout=sys.stderr, check=True)
    # pip's progress goes to stderr so that stdout carries only the python path.
    subprocess.run(
        [target / "bin" / "python", "-m", "pip", "install", "--disable-pip-version-check",
         "-r", str(reqs)],
        stdout=sys.stderr, check=True,
    )
    marker.write_text(f"built from {reqs}\n")
    log(f"built in {time.monotonic() - started:.0f}s")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except subprocess.CalledProcessError as e:
        log(f"pip failed (exit {e.returncode}); the partial venv will be rebuilt next time")
        sys.exit(1)
