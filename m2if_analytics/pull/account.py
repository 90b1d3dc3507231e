"""The account of one pulled table: rows read = loaded + duplicates + quarantined."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from m2if_analytics.ingest.common import IngestAccount


@dataclass
class PullAccount:
    """Rows read from one source table = loaded + duplicates + quarantined (+ voiding
    statements, for an LRS)."""

    source: str
    read: int = 0
    loaded: int = 0
    duplicates: int = 0
    quarantined: int = 0
    mark: str | None = None
    voiding: int | None = None  # LRS: voiding statements read (they load no event) ...
    removed: int | None = None  # ... and the stored events of the statements they void

    def add(self, account: IngestAccount) -> None:
        self.read += account.read
        self.loaded += account.loaded
        self.duplicates += account.duplicates
        self.quarantined += account.quarantined

    def to_json(self) -> str:
        return json.dumps({k: v for k, v in asdict(self).items()
                           if v is not None or k == "mark"}, ensure_ascii=False)

    def line(self) -> str:
        mark = f", mark {self.mark}" if self.mark is not None else ""
        voiding = (f", voiding {self.voiding} (removed {self.removed})" if self.voiding
                   else "")
        return (f"{self.source}: read {self.read}, loaded {self.loaded}, duplicates "
                f"{self.duplicates}, quarantined {self.quarantined}{voiding}{mark}")
