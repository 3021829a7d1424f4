"""Production settings with the benchmark's extra endpoint (bench/intake_urls.py)."""

from solidaire.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.intake_urls"
