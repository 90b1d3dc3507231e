"""The DuckDB warehouse: everything else reads and writes through it.

Owns: opening the file (:mod:`.connection`), schema migrations (:mod:`.migrations`), the SQL
files of ``queries/`` and running them (:mod:`.sql`), the pipeline that rebuilds the derived
tables (:mod:`.pipeline`, refreshed incrementally by :mod:`.incremental`), keyed pseudonyms
and the key file (:mod:`.pseudonyms`), and the :class:`~.workspace.Workspace` every analysis
takes (connection + configuration + key).

May import: the ground floor only (``config``, ``errors``, ``calendar``, ``progress``).
"""
