"""Find an HAProxy that runs here, installing Debian's package without root if need be.

Run with the system python3 (stdlib only). Prints one JSON line on stdout:
{"binary": "/path/to/haproxy", "libraryPath": "dir:dir" or ""}; progress goes to stderr.

An `haproxy` on PATH that answers `-v` is used as it is. Otherwise Debian's package is fetched
with `apt-get download` (no root, nothing installed system-wide) and unpacked with `dpkg -x`
into ${REGISTRY_GRAPH_CACHE:-~/.cache/registry-graph}/haproxy-<version>/, together with the
library packages `ldd` finds missing (liblua5.3-0, libopentracing-c-wrapper0, ...), which the
binary then loads through LD_LIBRARY_PATH. The unpacked tree is built in a temporary directory
and renamed into place, under an fcntl lock, so concurrent callers share one download.
"""

import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Each round unpacks the library packages of what the last round unpacked; a few suffice.
MAX_ROUNDS = 6


def log(msg: str) -> None:
    print(f"haproxy: {msg}", file=sys.stderr, flush=True)


def runs(binary: str, library_path: str = "") -> bool:
    env = {**os.environ, "LD_LIBRARY_PATH": library_path} if library_path else None
    try:
        result = subprocess.run([binary, "-v"], capture_output=True, env=env, timeout=30)
    except OSError:
        return False
    return result.returncode == 0


def candidate_version() -> str:
    def candidate() -> str | None:
        out = subprocess.run(
            ["apt-cache", "policy", "haproxy"], capture_output=True, text=True, check=True
        ).stdout
        match = re.search(r"Candidate:\s*(\S+)", out)
        return match.group(1) if match and match.group(1) != "(none)" else None

    version = candidate()
    if version is None and os.geteuid() == 0:
        # A fresh container has no package lists yet.
        log("apt knows no haproxy package; running apt-get update")
        subprocess.run(["apt-get", "update"], stdout=sys.stderr, check=True)
        version = candidate()
    if version is None:
        raise SystemExit(
            "haproxy: no haproxy package is known to apt here; run `apt-get update`, "
            "or put an haproxy binary on PATH"
        )
    return version


def download(packages: list[str], into: Path) -> list[Path]:
    log(f"downloading {' '.join(packages)}")
    before = set(into.glob("*.deb"))
    # As root apt drops to its _apt user, which cannot write to this private directory.
    sandbox = ["-o", "APT::Sandbox::User=root"] if os.geteuid() == 0 else []
    subprocess.run(
        ["apt-get", *sandbox, "download", *packages], cwd=into, stdout=sys.stderr, check=True
    )
    return sorted(set(into.glob("*.deb")) - before)


def library_dirs(root: Path) -> list[str]:
    return sorted({str(p.parent) for p in root.rglob("*.so*") if p.is_file() or p.is_symlink()})


def missing_libraries(binary: Path, library_path: str) -> list[str]:
    env = {**os.environ, "LD_LIBRARY_PATH": library_path}
    out = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, env=env).stdout
    return re.findall(r"^\s*(\S+) => not found", out, re.MULTILINE)


def installed(package: str) -> bool:
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True
    )
    return result.returncode == 0 and "install ok installed" in result.stdout


def library_depends(package: str) -> list[str]:
    out = subprocess.run(
        ["apt-cache", "depends", "--no-recommends", "--no-suggests", package],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    names = re.findall(r"^\s*\|?(?:Pre)?Depends:\s*<?([a-z0-9][a-z0-9.+-]*)>?", out, re.MULTILINE)
    return [n for n in names if n.startswith("lib")]


def unpack(version: str, target: Path) -> None:
    work = Path(tempfile.mkdtemp(prefix="haproxy-", dir=target.parent))
    try:
        debs, root = work / "debs", work / "root"
        debs.mkdir()
        fetched = {"haproxy"}
        new = download([f"haproxy={version}"], debs)
        binary = root / "usr" / "sbin" / "haproxy"
        for _ in range(MAX_ROUNDS):
            for deb in new:
                subprocess.run(["dpkg", "-x", str(deb), str(root)], check=True)
            missing = missing_libraries(binary, ":".join(library_dirs(root)))
            if not missing:
                break
            wanted = sorted(
                {
                    dep
                    for name in fetched
                    for dep in library_depends(name)
                    if dep not in fetched and not installed(dep)
                }
            )
            if not wanted:
                raise SystemExit(f"haproxy: no package found for {', '.join(missing)}")
            fetched.update(wanted)
            new = download(wanted, debs)
        else:
            raise SystemExit(f"haproxy: still missing {', '.join(missing)}")
        shutil.rmtree(debs)
        root.rename(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    on_path = shutil.which("haproxy")
    if on_path and runs(on_path):
        print(json.dumps({"binary": on_path, "libraryPath": ""}), flush=True)
        return 0
    cache = Path(os.environ.get("REGISTRY_GRAPH_CACHE") or "~/.cache/registry-graph").expanduser()
    cache.mkdir(parents=True, exist_ok=True)
    version = candidate_version()
    target = cache / f"haproxy-{version}"
    with open(cache / "haproxy.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.exists():
            log(f"no haproxy on PATH; unpacking Debian's {version} into {target}")
            unpack(version, target)
    binary = target / "usr" / "sbin" / "haproxy"
    library_path = ":".join(library_dirs(target))
    if not runs(str(binary), library_path):
        raise SystemExit(f"haproxy: {binary} does not run; remove {target} to fetch it again")
    print(json.dumps({"binary": str(binary), "libraryPath": library_path}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
