"""The systemd units in deploy/ start what exists and restart what dies."""

import configparser
import re
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "systemd"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(DEPLOY / name)
    return parser


def test_every_service_is_restarted_when_it_dies_and_runs_a_command_that_exists():
    services = sorted(p.name for p in DEPLOY.glob("*.service"))
    assert "solidaire-web.service" in services and "solidaire-worker@.service" in services
    commands = get_commands()
    for name in services:
        service = unit(name)["Service"]
        if service.get("Type") != "oneshot":
            assert service["Restart"] == "always", name
        command = service["ExecStart"].split()
        if command[0].endswith("/solidaire"):
            assert command[1] in commands, f"{name}: no command {command[1]}"
        else:
            assert (DEPLOY.parents[0] / Path(command[0]).name).exists(), name


def test_the_worker_instances_named_in_the_unit_are_the_queues_jobs_go_to():
    text = (DEPLOY / "solidaire-worker@.service").read_text()
    named = set(re.findall(r"solidaire-worker@(\w+)", text))
    assert named == set(settings.TASKS["default"]["QUEUES"])
    # SIGTERM first, and enough time for a job to be handed back before SIGKILL.
    service = unit("solidaire-worker@.service")["Service"]
    assert service["KillSignal"] == "SIGTERM" and int(service["TimeoutStopSec"]) >= 10
