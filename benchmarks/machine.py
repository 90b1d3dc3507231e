"""The machine a run measured: CPU, memory, disk, OS and the versions behind the figures."""

from __future__ import annotations

import datetime as dt
import os
import platform
import shutil
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("duckdb", "polars", "pandas", "pyarrow", "pyspark", "sqlglot", "m2if-analytics")


def version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _cpuinfo() -> tuple[str, int | None]:
    """CPU model name and number of physical cores (None when /proc does not say)."""
    model, cores = "", set()
    physical = core = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                key, _, value = line.partition(":")
                key, value = key.strip(), value.strip()
                if key == "model name" and not model:
                    model = value
                elif key == "physical id":
                    physical = value
                elif key == "core id":
                    core = value
                elif not key and core:
                    cores.add((physical, core))
                    core = ""
    except OSError:
        pass
    return model or platform.processor() or "unknown", len(cores) or None


def meminfo_gib(field: str) -> float | None:
    try:
        with open("/proc/meminfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return None


def _mount(path: Path) -> tuple[str, str]:
    """Device and filesystem type of the mount holding ``path``."""
    best, device, fstype = "", "unknown", "unknown"
    target = str(path.resolve())
    try:
        with open("/proc/mounts", encoding="utf-8") as mounts:
            for line in mounts:
                dev, point, kind = line.split()[:3]
                inside = target == point or target.startswith(point.rstrip("/") + "/")
                if inside and len(point) > len(best):
                    best, device, fstype = point, dev, kind
    except OSError:
        pass
    return device, fstype


def _rotational(device: str) -> str:
    name = Path(device).name
    for candidate in (name, name.rstrip("0123456789"), name.rsplit("p", 1)[0]):
        flag = Path(f"/sys/block/{candidate}/queue/rotational")
        if flag.is_file():
            rotational = flag.read_text().strip() == "1"
            return "reported rotational" if rotational else "reported non-rotational (SSD)"
    return "kind unknown"


def disk(path: Path) -> dict[str, Any]:
    """Where the benchmark's files live: device, filesystem, kind, size and free space."""
    path.mkdir(parents=True, exist_ok=True)
    device, fstype = _mount(path)
    usage = shutil.disk_usage(path)
    return {"path": str(path), "device": device, "fstype": fstype, "kind": _rotational(device),
            "total_gib": round(usage.total / 2**30, 1), "free_gib": round(usage.free / 2**30, 1)}


def _os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text(encoding="utf-8").splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return platform.system()


def _command(cmd: list[str]) -> str:
    """First line a command prints (stdout or stderr), or '' when it cannot run."""
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return (done.stdout.strip() or done.stderr.strip()).splitlines()[0] if (
        done.stdout.strip() or done.stderr.strip()) else ""


def commit() -> str:
    """The checkout's commit, marked when the working tree has changes."""
    head = _command(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    if not head:
        return "unknown"
    dirty = _command(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"])
    return f"{head} (with uncommitted changes)" if dirty else head


def machine_facts(bench_dir: Path) -> dict[str, Any]:
    """Everything results.md says about the machine and the software."""
    model, cores = _cpuinfo()
    java = _command(["java", "-version"]) if shutil.which("java") else "not installed"
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpu_model": model,
        "cpu_count": os.cpu_count(),
        "physical_cores": cores,
        "usable_cpus": len(os.sched_getaffinity(0)),
        "ram_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "disk": disk(bench_dir),
        "os": _os_name(),
        "kernel": f"{platform.system()} {platform.release()} {platform.machine()}",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "versions": {p: version(p) for p in PACKAGES},
        "java": java,
        "commit": commit(),
        "load_start": [round(x, 2) for x in os.getloadavg()],
    }
