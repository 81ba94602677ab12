"""The log file under the data folder: levels, one-line form, idempotence, and the key never
in it. Real loggers writing a real file in a temp folder."""

from __future__ import annotations

import logging

import pytest

from sunodesk.store import logfile, secrets

KEY = "sk-unit-LEAKME-0123456789"


@pytest.fixture(autouse=True)
def clean_logging(monkeypatch):
    root = logging.getLogger()
    level = root.level
    monkeypatch.delenv("SUNODESK_DEBUG", raising=False)
    yield
    logfile.shutdown_logging()
    root.setLevel(level)


def ours() -> list[logging.Handler]:
    return [h for h in logging.getLogger().handlers if getattr(h, logfile._MARK, False)]


def flush() -> None:
    for handler in ours():
        handler.flush()


def fail_with(text: str) -> None:
    def deep() -> None:
        raise RuntimeError(text)

    try:
        deep()
    except RuntimeError:
        logging.getLogger("sunodesk.test").exception("request failed")


def test_the_log_lives_under_the_data_folder(tmp_path):
    assert logfile.log_path(tmp_path) == tmp_path / "logs" / "sunodesk.log"
    assert logfile.setup_logging(tmp_path, debug=False, console=False) == logfile.log_path(tmp_path)


def test_redact_removes_the_current_key_and_key_shapes(monkeypatch):
    monkeypatch.setenv("SUNODESK_API_KEY", "not-sk-shaped-secret")
    text = logfile.redact(
        "key not-sk-shaped-secret, header Authorization: Bearer abc.DEF-123, "
        "another sk-abcdef0123456789 and {'Authorization': 'Bearer xyz'}"
    )
    for secret in ("not-sk-shaped-secret", "abc.DEF-123", "sk-abcdef0123456789", "xyz"):
        assert secret not in text
    assert "Bearer ***" in text and "sk-***" in text
    assert logfile.redact(text) == text  # already redacted text is left alone


def test_filter_redacts_a_message_and_a_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("SUNODESK_API_KEY", KEY)
    path = logfile.setup_logging(tmp_path, debug=True, console=False)
    logging.getLogger("sunodesk.test").warning("sending with %s", KEY)
    fail_with(f"refused: Authorization: Bearer {KEY}")
    flush()
    text = path.read_text("utf-8")
    assert "Traceback" in text and "in deep" in text  # the full traceback, in debug
    assert "sending with ***" in text and "Bearer ***" in text
    assert KEY not in text and "LEAKME" not in text


def test_a_key_from_the_key_store_is_redacted_whatever_its_shape(tmp_path, monkeypatch):
    monkeypatch.delenv("SUNODESK_API_KEY", raising=False)
    monkeypatch.setattr(secrets, "keyring_available", lambda: False)
    secrets.set_api_key(tmp_path, "plainFILEkey42")
    assert secrets.get_api_key(tmp_path)[0] == "plainFILEkey42"
    path = logfile.setup_logging(tmp_path, debug=False, console=False)
    logging.getLogger("sunodesk.test").info("the key is plainFILEkey42")
    flush()
    text = path.read_text("utf-8")
    assert "the key is ***" in text and "plainFILEkey42" not in text


def test_without_debug_one_line_per_record_and_no_debug_records(tmp_path, monkeypatch):
    monkeypatch.setenv("SUNODESK_API_KEY", KEY)
    path = logfile.setup_logging(tmp_path, debug=False, console=False)
    logging.getLogger("sunodesk.test").debug("chatty detail")
    logging.getLogger("sunodesk.test").info("two\nlines")
    fail_with(f"boom {KEY}")
    flush()
    lines = path.read_text("utf-8").splitlines()
    assert len(lines) == 2, lines
    assert "chatty detail" not in lines[0]
    assert lines[0].endswith("two | lines")
    assert "Traceback" not in lines[1]
    assert lines[1].endswith("request failed (RuntimeError: boom ***)")


def test_console_gets_tracebacks_only_with_debug(tmp_path, capsys):
    logfile.setup_logging(tmp_path, debug=False, console=True)
    logging.getLogger("sunodesk.test").info("file only")
    fail_with("quiet")
    err = capsys.readouterr().err
    assert "file only" not in err
    assert "sunodesk: request failed (RuntimeError: quiet)" in err and "Traceback" not in err

    logfile.setup_logging(tmp_path, debug=True, console=True)
    fail_with("loud")
    err = capsys.readouterr().err
    assert "Traceback" in err and "RuntimeError: loud" in err


def test_calling_twice_keeps_one_handler_of_each(tmp_path):
    logfile.setup_logging(tmp_path, debug=False, console=True)
    logfile.setup_logging(tmp_path / "other", debug=True, console=True)
    kinds = sorted(type(h).__name__ for h in ours())
    assert kinds == ["RotatingFileHandler", "StreamHandler"]
    logging.getLogger("sunodesk.test").info("once")
    flush()
    assert logfile.log_path(tmp_path / "other").read_text("utf-8").count("once") == 1


def test_an_unwritable_data_folder_is_not_fatal(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert logfile.setup_logging(blocker, debug=False, console=True) is None
    logging.getLogger("sunodesk.test").warning("still fine")
