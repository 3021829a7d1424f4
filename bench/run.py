"""Run every bench/bench_*.py in turn; each prints its own figures.

bench_intake_faults.py restarts the PostgreSQL server of PG_URL (pg_ctlcluster): it runs
only with BENCH_FAULTS=1, so that `make bench` never restarts someone's server unasked.
"""

import os
import subprocess
import sys
from pathlib import Path

ASKS_FIRST = {"bench_intake_faults.py": "BENCH_FAULTS"}

here = Path(__file__).parent
status = 0
for script in sorted(here.glob("bench_*.py")):
    print(f"== {script.name} ==", flush=True)
    flag = ASKS_FIRST.get(script.name)
    if flag and os.environ.get(flag) != "1":
        print(f"skipped: it restarts the database server; {flag}=1 runs it (bench/README.md)",
              flush=True)
        continue
    status |= subprocess.call([sys.executable, str(script)])
sys.exit(status)
