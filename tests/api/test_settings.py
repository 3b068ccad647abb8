"""Settings.from_env reads BACKPROP_LENS_* variables and names any bad one."""

from __future__ import annotations

import pytest

from app.settings import Limits, Settings
from app.store import open_store


def test_from_env_reads_store_host_port_and_workers() -> None:
    s = Settings.from_env(
        {
            "BACKPROP_LENS_STORE": "memory://",
            "BACKPROP_LENS_HOST": "0.0.0.0",
            "BACKPROP_LENS_PORT": "9000",
            "BACKPROP_LENS_WORKERS": "2",
        }
    )
    assert (s.store, s.host, s.port, s.workers) == ("memory://", "0.0.0.0", 9000, 2)


def test_from_env_reads_one_variable_per_limit() -> None:
    s = Settings.from_env(
        {
            "BACKPROP_LENS_MAX_WIDTH": "16",
            "BACKPROP_LENS_MAX_STEPS": "5",
            "BACKPROP_LENS_MAX_BODY_BYTES": "4096",
            "BACKPROP_LENS_IDLE_DAYS": "0.5",
        }
    )
    assert s.limits.max_width == 16
    assert s.limits.max_steps == 5
    assert s.limits.max_body_bytes == 4096
    assert s.limits.idle_days == 0.5
    assert s.limits.max_layers == Limits().max_layers


def test_from_env_splits_cors_origins() -> None:
    s = Settings.from_env({"BACKPROP_LENS_CORS_ORIGINS": "http://a.test, http://b.test,"})
    assert s.cors_origins == ("http://a.test", "http://b.test")


def test_from_env_without_variables_gives_the_defaults() -> None:
    s = Settings.from_env({})
    assert s.limits == Limits()
    assert (s.host, s.port, s.workers, s.cors_origins) == ("127.0.0.1", 8000, 1, ())
    assert s.store.startswith("sqlite:///")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BACKPROP_LENS_PORT", "http"),
        ("BACKPROP_LENS_WORKERS", "many"),
        ("BACKPROP_LENS_MAX_WIDTH", "12.5"),
        ("BACKPROP_LENS_MAX_STEPS", "0"),
        ("BACKPROP_LENS_MAX_LAYERS", "-3"),
        ("BACKPROP_LENS_IDLE_DAYS", "soon"),
        ("BACKPROP_LENS_IDLE_DAYS", "nan"),
    ],
)
def test_from_env_rejects_a_bad_value_naming_the_variable(name: str, value: str) -> None:
    with pytest.raises(ValueError, match=name):
        Settings.from_env({name: value})


def test_open_store_rejects_an_unknown_url_naming_the_variable() -> None:
    with pytest.raises(ValueError, match="BACKPROP_LENS_STORE"):
        open_store("postgres://db/networks")


def test_from_env_refuses_to_raise_a_limit_the_schema_also_states() -> None:
    with pytest.raises(
        ValueError, match="BACKPROP_LENS_MAX_WIDTH=4096 is above its ceiling of 1024"
    ):
        Settings.from_env({"BACKPROP_LENS_MAX_WIDTH": "4096"})


def test_from_env_may_raise_a_limit_only_the_service_checks() -> None:
    assert Settings.from_env({"BACKPROP_LENS_MAX_NETWORKS": "50000"}).limits.max_networks == 50000
