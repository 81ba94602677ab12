"""Drafts, their history, style presets, and the draft export file (pure: no I/O, no Qt).

A draft is a named form state (a SongRequest without its album: the album *is* the draft's
name, added when a song is generated). Every generation from a draft snapshots the exact request
it sent. A preset is the "sound" part of a request: styles, exclude tags, weights and model.

The export file is small, versioned JSON holding the lyrics and the settings, never anything
secret (it is built from a whitelist of request fields, so an API key cannot get in)::

    {"format": "sunodesk-draft", "version": 1, "name": "...", "lyrics": "...",
     "settings": {"model": "...", "custom_mode": true, "title": "...", ...}}

``parse_export`` reads such a file defensively: the whole file is refused (``ImportRefused``,
one plain sentence) when it is too big, not UTF-8, not JSON, nested too deep, not a sunodesk
draft, or of an unknown version; single fields of the wrong type or over their size cap are
left out and named in ``ImportResult.skipped``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from sunodesk.core import rules
from sunodesk.core.models import SongRequest

FORMAT = "sunodesk-draft"
VERSION = 1
MAX_FILE_BYTES = 256 * 1024
MAX_DEPTH = 8  # the format nests two levels; anything much deeper is junk or a bomb
NAME_MAX = 120
DEFAULT_NAME = "Untitled draft"
# Caps on what a draft may hold: above the API's limits (the form says what is too long),
# far below anything that could hurt.
TEXT_CAPS = {
    "lyrics": 20_000,
    "title": 400,
    "style": 4_000,
    "negative_tags": 1_000,
    "persona_name": 200,
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PERSONA_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
_PRESET_FIELDS = ("model", "style", "negative_tags", "style_weight", "weirdness", "audio_weight")


@dataclass(frozen=True)
class Draft:
    """A named form state; ``deleted_at`` is set while it sits in the bin (undo)."""

    id: int
    name: str
    request_json: str
    created_at: float
    updated_at: float
    deleted_at: float | None = None

    @property
    def request(self) -> SongRequest:
        return request_from_json(self.request_json)


@dataclass(frozen=True)
class DraftSnapshot:
    """The exact request one generation from a draft sent, and the takes it made."""

    id: int
    draft_id: int
    job_id: int | None
    request_json: str
    created_at: float
    job_state: str = ""
    takes: tuple[tuple[str, str], ...] = ()  # (result_id, path or "")

    @property
    def request(self) -> SongRequest:
        return request_from_json(self.request_json)


@dataclass(frozen=True)
class Preset:
    """A named sound: styles, exclude tags, weights and model."""

    name: str
    model: str = rules.DEFAULT_MODEL
    style: str = ""
    negative_tags: str = ""
    style_weight: float | None = None
    weirdness: float | None = None
    audio_weight: float | None = None
    id: int | None = None

    @classmethod
    def from_request(cls, name: str, request: SongRequest) -> Preset:
        return cls(name=name, **{f: getattr(request, f) for f in _PRESET_FIELDS})

    def apply(self, request: SongRequest) -> SongRequest:
        """The request with this preset's sound (lyrics, title and the rest untouched)."""
        return replace(request, **{f: getattr(self, f) for f in _PRESET_FIELDS})

    def to_json(self) -> str:
        return json.dumps(
            {f: getattr(self, f) for f in _PRESET_FIELDS}, sort_keys=True, ensure_ascii=False
        )

    @classmethod
    def from_json(cls, name: str, text: str, id: int | None = None) -> Preset:
        """Tolerant: a broken or odd stored value falls back to the default."""
        try:
            data = json.loads(text)
        except ValueError:
            data = {}
        settings, _skipped = _settings(data if isinstance(data, dict) else {})
        return cls(name=name, id=id, **{f: settings[f] for f in _PRESET_FIELDS if f in settings})


def request_from_json(text: str) -> SongRequest:
    """A stored request; broken JSON gives an empty request rather than an exception."""
    try:
        return SongRequest.from_json(text)
    except (ValueError, TypeError):
        return SongRequest()


def clean_name(name: str, fallback: str = DEFAULT_NAME) -> str:
    """A draft or preset name: one line, no control characters, at most NAME_MAX."""
    text = " ".join(_CONTROL.sub(" ", name or "").split())
    return text[:NAME_MAX].strip() or fallback


def unique_name(wanted: str, taken: Iterable[str]) -> str:
    """``wanted``, or ``wanted 2``, ``wanted 3`` … the first no other draft has."""
    names = set(taken)
    if wanted not in names:
        return wanted
    n = 2
    while f"{wanted} {n}" in names:
        n += 1
    return f"{wanted} {n}"


def follows_title(name: str, previous_title: str) -> bool:
    """Whether a draft's name is still the automatic one: never chosen by the person, it is
    the default or the title it last had (with a " 2" that kept it unique). Such a name
    follows the title as it is typed; a name the person chose stays."""
    title = clean_name(previous_title, "")
    return any(
        name == base or re.fullmatch(re.escape(base) + r" \d+", name) is not None
        for base in {DEFAULT_NAME, title} - {""}
    )


def auto_name(title: str, taken: Iterable[str]) -> str:
    """The automatic name for a draft whose song has this title (the default when none)."""
    return unique_name(clean_name(title, DEFAULT_NAME), taken)


def draft_request(request: SongRequest) -> SongRequest:
    """What a draft stores: the form state, without the album (the draft's name is that)."""
    return replace(request, album="")


# -- export ---------------------------------------------------------------------------------------

_SETTINGS = (
    "model",
    "custom_mode",
    "title",
    "style",
    "negative_tags",
    "instrumental",
    "vocal_gender",
    "style_weight",
    "weirdness",
    "audio_weight",
    "persona_id",
    "persona_model",
    "persona_name",
)


def export_draft(name: str, request: SongRequest) -> str:
    """The export file's text for one draft (lyrics and settings; nothing secret)."""
    data = asdict(request)
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "name": name,
        "lyrics": request.prompt,
        "settings": {key: data[key] for key in _SETTINGS},
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


# -- import ---------------------------------------------------------------------------------------


class ImportRefused(ValueError):
    """The file as a whole is not something to import; str() is one plain sentence."""


@dataclass(frozen=True)
class ImportResult:
    name: str
    request: SongRequest
    skipped: tuple[str, ...] = field(default=())  # plain sentences: what was left out


def _depth_ok(text: str, limit: int) -> bool:
    """Bracket depth of JSON text without parsing it (strings skipped), so a bomb of
    nesting never reaches the recursive parser."""
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def _short(key: Any) -> str:
    text = _CONTROL.sub("?", str(key))
    return text if len(text) <= 40 else text[:37] + "…"


def _text(key: str, value: Any, skipped: list[str], cap: int) -> str | None:
    if not isinstance(value, str):
        skipped.append(f"“{key}” was not text ({type(value).__name__}); left out.")
        return None
    if len(value) > cap:
        skipped.append(
            f"“{key}” is {len(value):,} characters, over the {cap:,} a draft holds; left out."
        )
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        skipped.append(f"“{key}” holds broken characters; left out.")
        return None
    if "\x00" in value:
        skipped.append(f"“{key}” holds a NUL character; left out.")
        return None
    return value


def _weight(key: str, value: Any, skipped: list[str]) -> tuple[bool, float | None]:
    if value is None:
        return True, None
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or not rules.WEIGHT_MIN - 1e-9 <= value <= rules.WEIGHT_MAX + 1e-9
    ):
        skipped.append(f"“{key}” must be a number from 0.1 to 1.0 or null; left out.")
        return False, None
    return True, round(float(value), 1)


def _settings(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The acceptable settings in ``data`` and a sentence for each one that was not."""
    out: dict[str, Any] = {}
    skipped: list[str] = []
    for key, value in data.items():
        if key == "model":
            model = rules.rules_for(value) if isinstance(value, str) else None
            if model is None:
                skipped.append(f"Unknown model “{_short(value)}”; left out.")
            else:
                out[key] = model.name
        elif key in ("custom_mode", "instrumental"):
            if isinstance(value, bool):
                out[key] = value
            else:
                skipped.append(f"“{key}” must be true or false; left out.")
        elif key in ("title", "style", "negative_tags", "persona_name"):
            if key == "persona_name" and value is None:
                out[key] = None
                continue
            text = _text(key, value, skipped, TEXT_CAPS[key])
            if text is not None:
                out[key] = text
        elif key == "vocal_gender":
            if value is None or value in rules.VOCAL_GENDERS:
                out[key] = value
            else:
                skipped.append('“vocal_gender” must be "m", "f" or null; left out.')
        elif key in ("style_weight", "weirdness", "audio_weight"):
            ok, number = _weight(key, value, skipped)
            if ok:
                out[key] = number
        elif key == "persona_id":
            if value is None or (isinstance(value, str) and _PERSONA_ID.match(value)):
                out[key] = value
            else:
                skipped.append("“persona_id” is not a persona id; left out.")
        elif key == "persona_model":
            if value is None or value in rules.PERSONA_MODELS:
                out[key] = value
            else:
                skipped.append("“persona_model” must be style_persona or voice_persona; left out.")
        else:
            skipped.append(f"Unknown setting “{_short(key)}” ignored.")
    if out.get("persona_id") is None:
        for key in ("persona_model", "persona_name"):
            out.pop(key, None)
    return out, skipped


def parse_export(raw: bytes) -> ImportResult:
    """Read an export file's bytes; raises ImportRefused when the file cannot be taken."""
    if len(raw) > MAX_FILE_BYTES:
        raise ImportRefused(
            f"The file is {len(raw) / 1024:,.0f} KB; a draft file is at most "
            f"{MAX_FILE_BYTES // 1024} KB. Nothing was imported."
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            "The file is not UTF-8 text, so it is not a sunodesk draft. Nothing was imported."
        ) from None
    if not _depth_ok(text, MAX_DEPTH):
        raise ImportRefused(
            "The file is nested far too deeply to be a sunodesk draft. Nothing was imported."
        )
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        raise ImportRefused(
            "The file is not valid JSON (it may be damaged). Nothing was imported."
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ImportRefused("This is not a sunodesk draft file. Nothing was imported.")
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ImportRefused("The draft file has no version number. Nothing was imported.")
    if version != VERSION:
        raise ImportRefused(
            f"The draft file is version {version}; this sunodesk reads "
            f"version {VERSION}. Nothing was imported."
        )
    skipped: list[str] = []
    name = DEFAULT_NAME
    if "name" in doc:
        value = _text("name", doc["name"], skipped, 1000)
        if value is not None:
            name = clean_name(value)
            if name != value:
                skipped.append("The name was shortened or cleaned of control characters.")
    fields_: dict[str, Any] = {}
    if "lyrics" in doc:
        lyrics = _text("lyrics", doc["lyrics"], skipped, TEXT_CAPS["lyrics"])
        if lyrics is not None:
            fields_["prompt"] = lyrics
    settings = doc.get("settings", {})
    if isinstance(settings, dict):
        taken, more = _settings(settings)
        fields_.update(taken)
        skipped.extend(more)
    else:
        skipped.append("“settings” was not an object; left out.")
    for key in doc:
        if key not in ("format", "version", "name", "lyrics", "settings", "exported_at"):
            skipped.append(f"Unknown field “{_short(key)}” ignored.")
    if not fields_:
        raise ImportRefused(
            "The file holds no lyrics or settings that could be taken. Nothing was imported."
        )
    return ImportResult(name=name, request=SongRequest(**fields_), skipped=tuple(skipped[:50]))
