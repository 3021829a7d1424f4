"""The import's reading process as it runs where Linux's parent-death signal is not
there (used by tests/people/test_importing_rows.py, in a spawned process)."""

from solidaire.people.importing import reader_process


def main(*args) -> None:
    reader_process.die_with_parent = lambda parent_pid: None
    reader_process.main(*args)
