"""``m2if lab``: JupyterLab on the notebooks with this warehouse and configuration preselected."""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from m2if_analytics.errors import M2IFError
from m2if_analytics.reports.render import notebooks_dir


@dataclass(frozen=True)
class LabCommand:
    """``jupyter lab`` on the notebooks folder, with the warehouse preselected."""

    argv: list[str]
    env: dict[str, str]  # the M2IF_* variables added to the current environment

    def describe(self) -> str:
        import shlex

        assignments = [f"{k}={shlex.quote(v)}" for k, v in sorted(self.env.items())]
        return " ".join([*assignments, *map(shlex.quote, self.argv)])

    def exec(self) -> None:
        """Replace this process with JupyterLab."""
        os.execve(self.argv[0], self.argv, {**os.environ, **self.env})


def lab_command(db: Path | None, config: Path | None, key_file: Path | None = None,
                port: int | None = None, extra: list[str] | None = None) -> LabCommand:
    """The JupyterLab command for ``notebooks/`` with ``M2IF_DB``/``M2IF_CONFIG`` set to
    absolute paths, so the notebooks' parameters cells pick them up; ``extra`` options are
    passed on to ``jupyter lab``."""
    from m2if_analytics.paths import resolve_paths

    paths = resolve_paths(db, config, key_file)
    venv_jupyter = Path(sys.executable).parent / "jupyter"
    jupyter = str(venv_jupyter) if venv_jupyter.is_file() else shutil.which("jupyter")
    if jupyter is None:
        raise M2IFError("JupyterLab is not installed: pip install 'm2if-analytics[notebooks]'")
    env = {"M2IF_DB": str(paths.db.resolve())}
    if paths.config is not None:
        env["M2IF_CONFIG"] = str(paths.config.resolve())
    if key_file is not None:
        env["M2IF_PSEUDONYM_KEY_FILE"] = str(paths.key_file.resolve())
    argv = [jupyter, "lab", f"--notebook-dir={notebooks_dir()}"]
    if port is not None:
        argv.append(f"--port={port}")
    return LabCommand([*argv, *(extra or [])], env)
