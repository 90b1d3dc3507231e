"""Run a command, then write its wall time, peak RSS and wait status to a file.

    python -S benchmarks/launcher.py REPORT_FILE CMD [ARG...]

``measure.py`` starts every step through this small process (``-S``: no site packages, about
10 MiB) because Linux carries a parent's peak RSS into its forked children's ``ru_maxrss``:
started directly from the harness, every step would report at least the harness's own
peak. Here the command is forked from a process that never held any data.
"""

import os
import sys
import time


def main() -> None:
    report, cmd = sys.argv[1], sys.argv[2:]
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    with open(report, "w", encoding="utf-8") as fh:
        fh.write(f"{seconds!r} {usage.ru_maxrss} {status}\n")
    code = os.waitstatus_to_exitcode(status)
    sys.exit(code if code >= 0 else 128 - code)


if __name__ == "__main__":
    main()
