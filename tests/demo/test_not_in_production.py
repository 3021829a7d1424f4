"""The demo is for development: production settings do not install it, so its commands
do not exist there, and the rest starts and passes the deploy check without it."""

import subprocess
import sys

import pytest

# `solidaire check --deploy` without the demo: tests/core/test_deploy_check.py.
from tests.core.test_deploy_check import production_environment


def solidaire(*arguments, env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "solidaire", *arguments], env=env,
                          capture_output=True, text=True, timeout=120)


def test_production_settings_do_not_install_the_demo_app():
    code = ("import django; django.setup(); from django.apps import apps; "
            "from django.urls import get_resolver; get_resolver().url_patterns; "
            "print(apps.is_installed('solidaire.demo'), apps.is_installed('solidaire.public'))")
    result = subprocess.run([sys.executable, "-c", code], env=production_environment(),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


@pytest.mark.parametrize("command", ["demo-data", "demo"])
def test_the_demo_commands_are_unknown_in_production(command):
    result = solidaire(command, "--help", env=production_environment())
    assert result.returncode != 0
    assert f"Unknown command: '{command}'" in result.stderr


def test_development_settings_still_have_the_demo_commands():
    env = production_environment(DJANGO_SETTINGS_MODULE="solidaire.settings.dev")
    result = solidaire("demo-data", "--help", env=env)
    assert result.returncode == 0, result.stderr
    assert "--people" in result.stdout
