"""The library's files on disk: rescan, import, export and delete to the trash.

Blocking (disk and tags): the window runs these in worker threads. The database and the disk
stay in step: a row is removed only after its file went to the trash, and an imported file is
listed only once its copy is complete inside the library folder.

The library folder may be carried to another machine by a sync tool (Syncthing, a NAS): an
MP3 already inside it is *adopted* where it is (never copied, never renamed), by import and by
rescan alike, and its request is rebuilt from its ``SUNO_*`` tags. A take is recognised by the
``SUNO_RESULT_ID`` it carries, so the same take is never filed twice.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sunodesk.core.models import FileState, SongRequest, Track
from sunodesk.store import files, mp3_probe, tags
from sunodesk.store.tracks import TrackRepo

IMPORTED_PREFIX = "file-"
_TAG_FIELDS = ("title", "artist", "album", "lyrics")
# Folders sync tools and NAS boxes keep beside the music (old versions, thumbnails, a recycle
# bin): their MP3s are copies, never takes of their own. Hidden folders are skipped as well.
_SKIPPED_DIRS = {"@eaDir", "#recycle", "#snapshot", "$RECYCLE.BIN", "System Volume Information"}
# Names of files still arriving: partial downloads and sync tools' temp files.
_PARTIAL_PREFIXES = (".", "~")  # hidden, or ~syncthing~… and ~$… locks

IMPORTED, ADOPTED, SKIPPED, FAILED = "imported", "adopted", "skipped", "failed"


@dataclass(frozen=True)
class ImportEntry:
    """What became of one file: imported (copied in), adopted (listed where it is, inside the
    library folder), skipped (already in the library) or failed (``reason`` says why)."""

    path: str
    status: str
    reason: str = ""
    result_id: str = ""
    title: str = ""
    file: str = ""  # where the track's file is in the library (imported, adopted, skipped)


@dataclass
class RescanReport:
    renamed: list[Track] = field(default_factory=list)
    missing: list[Track] = field(default_factory=list)
    changed: list[Track] = field(default_factory=list)  # a different or unreadable file
    retagged: list[Track] = field(default_factory=list)
    restored: list[Track] = field(default_factory=list)  # missing before, back now
    adopted: list[Track] = field(default_factory=list)  # new files found in the folder
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)

    @property
    def updated(self) -> list[Track]:
        return [
            *self.renamed, *self.missing, *self.changed, *self.retagged, *self.restored,
            *self.adopted,
        ]  # fmt: skip


@dataclass
class ImportReport:
    added: list[Track] = field(default_factory=list)  # imported or adopted
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)
    entries: list[ImportEntry] = field(default_factory=list)  # one per file, in order


@dataclass
class FileReport:
    done: list[str] = field(default_factory=list)  # result ids (or paths written)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)


def _identity(path: Path) -> str:
    """The id a file is known by: its SUNO_RESULT_ID, else a hash of its audio."""
    try:
        result_id = tags.read_tags(path).result_id
    except (tags.TagWriteError, OSError):
        result_id = ""
    return result_id or IMPORTED_PREFIX + mp3_probe.audio_fingerprint(path)[:32]


def _is_partial(name: str) -> bool:
    return name.startswith(_PARTIAL_PREFIXES) or name.startswith(files.TEMP_PREFIX)


def library_mp3s(folder: Path) -> Iterator[Path]:
    """Every MP3 under ``folder``, sorted, without hidden files and folders, temp files of
    sunodesk or of a sync tool, and the side folders NAS boxes keep (``@eaDir``, ``#recycle``)."""
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIPPED_DIRS)
        for name in sorted(names):
            if name.lower().endswith(".mp3") and not _is_partial(name):
                yield Path(root) / name


def _find_renamed(
    missing: dict[str, Track], known: set[str], folders: set[Path]
) -> dict[str, Path]:
    """Files in ``folders`` (and below) that no row points at, by the id they carry."""
    found: dict[str, Path] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for candidate in library_mp3s(folder):
            if str(candidate) in known:
                continue
            try:
                identity = _identity(candidate)
            except OSError:
                continue
            if identity in missing and identity not in found:
                found[identity] = candidate
        if len(found) == len(missing):
            break
    return found


def _note(bucket: list[Track], track: Track | None) -> None:
    """Report an updated track (None: its row went away meanwhile, nothing to report)."""
    if track is not None:
        bucket.append(track)


def _check_tags(repo: TrackRepo, track: Track, report: RescanReport) -> None:
    path = Path(track.path or "")
    try:
        read = tags.read_tags(path)
    except (tags.TagWriteError, OSError):
        read = None
    if read is None or (read.result_id and read.result_id != track.result_id):
        if track.file_state != FileState.CHANGED:
            _note(report.changed, repo.set_file_state(track.result_id, FileState.CHANGED))
        return
    held = repo.tag_view(track.result_id) or {}
    now = {name: getattr(read, name) for name in _TAG_FIELDS}
    if not now["title"]:
        # no title frame: the track is shown by its name (as the import named it), which is
        # not a re-tag and must not become an empty title
        now["title"] = held.get("title") or path.stem
    # a field the database never held (rows filed before the library existed) is filled in
    # quietly; a field that held something else was re-tagged outside the app
    differs = [n for n in _TAG_FIELDS if now[n] != (held.get(n) or "")]
    retagged = [n for n in differs if held.get(n)]
    if differs or track.file_state != FileState.OK:
        # an imported take's request was read from its tags: it follows them (a generated
        # take keeps the request it was sent with)
        request = request_from_tags(read) if track.imported and differs else None
        updated = repo.update_tags(
            track.result_id, **now, file_state=FileState.OK, request_json=request
        )
        if retagged:
            _note(report.retagged, updated)
        elif track.file_state != FileState.OK:
            _note(report.restored, updated)


def rescan(repo: TrackRepo, library_dir: Path) -> RescanReport:
    """Compare every listed track with its file (renamed, deleted or re-tagged outside the
    app), then adopt the MP3s found under the library folder that are not listed yet."""
    report = RescanReport()
    listed = repo.library()
    known = {t.path for t in listed if t.path}
    missing = {t.result_id: t for t in listed if not t.path or not Path(t.path).is_file()}
    if missing:
        folders = {Path(library_dir)} | {Path(t.path).parent for t in missing.values() if t.path}
        found = _find_renamed(missing, known, folders)
        for result_id, track in missing.items():
            if result_id in found:
                _note(report.renamed, repo.move_file(result_id, str(found[result_id])))
            elif track.file_state != FileState.MISSING:
                _note(report.missing, repo.set_file_state(result_id, FileState.MISSING))
    for track in listed:
        if track.result_id not in missing:
            _check_tags(repo, track, report)
    for track in report.renamed:
        _check_tags(repo, track, report)
    _adopt_new(repo, Path(library_dir), report)
    return report


def _adopt_new(repo: TrackRepo, library_dir: Path, report: RescanReport) -> None:
    """List the MP3s under the library folder that no row points at (a sync tool brought
    them, or they were copied in by hand), where they are."""
    if not library_dir.is_dir():
        return
    known = {t.path for t in repo.library() if t.path}
    for candidate in library_mp3s(library_dir):
        if str(candidate) in known:
            continue
        entry, track = file_one(repo, candidate, library_dir, strict=True)
        if track is not None:
            report.adopted.append(track)
        elif entry.status == FAILED:
            report.unreadable.append((candidate.name, entry.reason))


def request_from_tags(read: tags.TagSet) -> str | None:
    if not (read.model or read.style or read.prompt):
        return None
    simple = bool(read.prompt) and not read.lyrics
    return SongRequest(
        model=read.model or SongRequest().model, custom_mode=not simple,
        prompt=read.prompt if simple else read.lyrics, title=read.title, style=read.style,
        negative_tags=read.negative_tags, instrumental=not simple and not read.lyrics,
        style_weight=read.style_weight, weirdness=read.weirdness,
        audio_weight=read.audio_weight, persona_id=read.persona_id or None, album=read.album,
    ).to_json()  # fmt: skip


def _copy_in(source: Path, library_dir: Path, title: str) -> Path:
    library_dir.mkdir(parents=True, exist_ok=True)
    temp = files.temp_path(library_dir)
    try:
        shutil.copyfile(source, temp)
        return files.place_unique(temp, library_dir, files.safe_filename(title or source.stem))
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def _reason(exc: BaseException) -> str:
    text = (exc.strerror if isinstance(exc, OSError) else None) or str(exc) or type(exc).__name__
    return text if text.endswith(".") else text + "."


def _already_there(source: Path, track: Track) -> ImportEntry:
    where = f" ({track.path})" if track.path and track.path != str(source) else ""
    return ImportEntry(
        str(source), SKIPPED, f"Already in the library as “{track.title}”{where}.",
        track.result_id, track.title, track.path or "",
    )  # fmt: skip


def file_one(
    repo: TrackRepo, source: Path, library_dir: Path, *, strict: bool = False
) -> tuple[ImportEntry, Track | None]:
    """List one MP3: adopted where it is when it lies inside ``library_dir``, else copied in.

    ``strict`` (a rescan) first checks the whole file is there, so an MP3 a sync tool is still
    writing is left for a later rescan instead of being listed half-arrived."""
    source = Path(os.path.abspath(source))
    inside = files.is_inside(library_dir, source)
    try:
        if strict:
            tags.probe_mp3(source)
        audio = tags.read_audio_file(source)
        read = audio.tags
        result_id = read.result_id or IMPORTED_PREFIX + mp3_probe.audio_fingerprint(source)[:32]
        existing = repo.get(result_id)
        if existing is not None:
            return _already_there(source, existing), None
        title = read.title or source.stem
        created = source.stat().st_mtime if inside else None  # when the take was made
        path = source if inside else _copy_in(source, Path(library_dir), title)
    except (mp3_probe.NotPlayable, OSError) as exc:
        return ImportEntry(str(source), FAILED, _reason(exc)), None
    track = repo.add_imported(
        result_id, str(path), title, task_id=read.task_id, model=read.model,
        style=read.style or read.genre, duration=audio.duration,
        persona_id=read.persona_id or None, lyrics=read.lyrics, album=read.album,
        artist=read.artist, request_json=request_from_tags(read), created_at=created,
    )  # fmt: skip
    if track is None:  # filed meanwhile (a job, another import): keep the one that won
        if path != source:
            with contextlib.suppress(OSError):
                path.unlink()
        existing = repo.get(result_id)
        entry = _already_there(source, existing) if existing else ImportEntry(str(source), SKIPPED)
        return entry, None
    status = ADOPTED if inside else IMPORTED
    return ImportEntry(str(source), status, "", track.result_id, track.title, str(path)), track


def expand(sources: Iterable[Path]) -> list[Path]:
    """The files an import means: each file as given, each folder's MP3s (recursively, as
    :func:`library_mp3s` finds them); every file once."""
    seen: set[str] = set()
    out: list[Path] = []
    for source in map(Path, sources):
        for path in library_mp3s(source) if source.is_dir() else [source]:
            key = os.path.abspath(path)
            if key not in seen:
                seen.add(key)
                out.append(path)
    return out


def import_files(repo: TrackRepo, sources: list[Path], library_dir: Path) -> ImportReport:
    """List existing MP3s (files, or folders searched recursively) with what their tags say:
    copied into the library, or adopted in place when already inside it."""
    report = ImportReport()
    for source in expand(sources):
        entry, track = file_one(repo, source, Path(library_dir))
        report.entries.append(entry)
        if track is not None:
            report.added.append(track)
        else:
            report.skipped.append((source.name, entry.reason.rstrip(".")))
    return report


def export_files(paths: list[str], folder: Path) -> FileReport:
    """Copy files to ``folder`` (never replacing one there: "name (2).mp3" …)."""
    report = FileReport()
    folder.mkdir(parents=True, exist_ok=True)
    for path in map(Path, paths):
        try:
            target = files.unique_path(folder, path.name)
            shutil.copy2(path, target)
            report.done.append(str(target))
        except OSError as exc:
            report.failed.append((path.name, exc.strerror or str(exc)))
    return report


def delete_to_trash(repo: TrackRepo, result_ids: list[str]) -> FileReport:
    """Send each track's file to the trash, then forget the track. A file that cannot be
    trashed keeps its row; a row whose file is already gone is simply forgotten."""
    from send2trash import send2trash

    report = FileReport()
    for result_id in result_ids:
        track = repo.get(result_id)
        if track is None:
            continue
        path = Path(track.path) if track.path else None
        if path is not None and path.exists():
            try:
                send2trash(str(path))
            except Exception as exc:  # send2trash raises OSError or its own TrashPermissionError
                report.failed.append((path.name, str(exc)))
                continue
        repo.delete(result_id)
        report.done.append(result_id)
    return report
