"""The settings file: defaults, every key, where it lives, and one clear line for a bad one."""

from __future__ import annotations

from pathlib import Path

import pytest

from clientdesk import clock
from clientdesk.config import Settings, apply_settings, config_path, load_settings
from clientdesk.domain.errors import InputError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_the_defaults(tmp_path):
    s = load_settings(tmp_path / "nope.toml")
    assert s == Settings()
    assert s.buffer_share == 0.15 and s.slot_minutes == 30 and s.timezone is None and s.keymap == {}
    assert [s.hours_label(d) for d in range(7)] == ["09:00-18:00"] * 5 + ["off", "off"]
    assert s.working_minutes(0) == 540 and s.capacity_minutes(0) == pytest.approx(459)
    assert s.capacity_minutes(6) == 0


def test_every_key(tmp_path):
    path = write(
        tmp_path,
        """
buffer_share = 0.2
slot_minutes = 15
timezone = "America/New_York"
theme = "nord"

[working_hours]
mon = ["13:30-18:00", "09:00-12:30"]
tue = "08:00-16:00"
Friday = "off"
sat = "10:00-12:00"

[keymap]
planner-prev-week = "["
quit = "ctrl+q"
""",
    )
    s = load_settings(path)
    assert s.path == path
    assert s.spans(0) == ((540, 750), (810, 1080))  # sorted
    assert s.hours_label(0) == "09:00-12:30, 13:30-18:00"
    assert s.spans(1) == ((480, 960),)
    assert s.spans(2) == ((540, 1080),)  # untouched days keep the default
    assert s.spans(4) == () and s.spans(5) == ((600, 720),) and s.spans(6) == ()
    assert s.working_minutes(0) == 480 and s.capacity_minutes(0) == pytest.approx(384)
    assert (s.buffer_share, s.slot_minutes, s.timezone, s.theme) == (0.2, 15, "America/New_York", "nord")
    assert s.keymap == {"planner-prev-week": "[", "quit": "ctrl+q"}


def test_end_of_day_and_off_forms(tmp_path):
    s = load_settings(write(tmp_path, '[working_hours]\nmon = "18:00-24:00"\ntue = []\nwed = false\nthu = "none"\n'))
    assert s.spans(0) == ((1080, 1440),)
    assert s.spans(1) == s.spans(2) == s.spans(3) == ()


def test_env_var_names_the_file_and_default_place(tmp_path, monkeypatch):
    path = write(tmp_path, "slot_minutes = 60\n")
    monkeypatch.setenv("CLIENTDESK_CONFIG", str(path))
    assert config_path() == path
    assert load_settings().slot_minutes == 60
    monkeypatch.delenv("CLIENTDESK_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert config_path() == tmp_path / "xdg" / "clientdesk" / "config.toml"
    assert load_settings() == Settings()


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("buffer_share = 1.5\n", "buffer_share"),
        ("buffer_share = 'lots'\n", "buffer_share"),
        ("slot_minutes = 7\n", "slot_minutes"),
        ("slot_minutes = true\n", "slot_minutes"),
        ("timezone = 'Mars/Olympus'\n", "timezone"),
        ("theme = 3\n", "theme"),
        ("buffer_shar = 0.1\n", "buffer_shar"),
        ("working_hours = '9-5'\n", "working_hours"),
        ("[working_hours]\ntue = '9-18'\n", "working_hours.tue"),
        ("[working_hours]\nmon = ['09:00-12:30', 'lunch']\n", "working_hours.mon[1]"),
        ("[working_hours]\nmon = '18:00-09:00'\n", "working_hours.mon"),
        ("[working_hours]\nmon = '25:00-26:00'\n", "working_hours.mon"),
        ("[working_hours]\nmon = ['09:00-13:00', '12:00-18:00']\n", "working_hours.mon"),
        ("[working_hours]\nfunday = '09:00-18:00'\n", "working_hours.funday"),
        ("[keymap]\nquit = 5\n", "keymap.quit"),
    ],
)
def test_a_bad_value_names_the_file_and_the_key(tmp_path, text, key):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as err:
        load_settings(path)
    message = str(err.value)
    assert message.startswith(f"config file {path}: {key}: ")
    assert "\n" not in message


def test_broken_toml_names_the_file(tmp_path):
    path = write(tmp_path, "buffer_share = \n[[[")
    with pytest.raises(InputError, match="not valid TOML") as err:
        load_settings(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_a_folder_or_binary_is_refused(tmp_path):
    with pytest.raises(InputError, match="is a folder"):
        load_settings(tmp_path)
    path = tmp_path / "bin.toml"
    path.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(InputError, match="not UTF-8"):
        load_settings(path)


def test_apply_settings_sets_the_local_zone(tmp_path):
    apply_settings(load_settings(write(tmp_path, "timezone = 'Asia/Tokyo'\n")))
    assert clock.local_tz().name == "Asia/Tokyo"
    apply_settings(Settings())  # no zone: leaves it alone
    assert clock.local_tz().name == "Asia/Tokyo"
