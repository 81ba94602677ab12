"""The library's files on disk: rescan, import, export and delete to the trash.

Blocking (disk and tags): the window runs these in worker threads. The database and the disk
stay in step: a row is removed only after its file went to the trash, and an imported file is
listed only once its copy is complete inside the library folder.
"""

from __future__ import annotations

import contextlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from sunodesk.core.models import FileState, SongRequest, Track
from sunodesk.store import files, mp3_probe, tags
from sunodesk.store.tracks import TrackRepo

IMPORTED_PREFIX = "file-"
_TAG_FIELDS = ("title", "artist", "album", "lyrics")


@dataclass
class RescanReport:
    renamed: list[Track] = field(default_factory=list)
    missing: list[Track] = field(default_factory=list)
    changed: list[Track] = field(default_factory=list)  # a different or unreadable file
    retagged: list[Track] = field(default_factory=list)
    restored: list[Track] = field(default_factory=list)  # missing before, back now

    @property
    def updated(self) -> list[Track]:
        return [*self.renamed, *self.missing, *self.changed, *self.retagged, *self.restored]


@dataclass
class ImportReport:
    added: list[Track] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)


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


def _find_renamed(
    missing: dict[str, Track], known: set[str], folders: set[Path]
) -> dict[str, Path]:
    """Files in ``folders`` (and below) that no row points at, by the id they carry."""
    found: dict[str, Path] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for candidate in folder.rglob("*.mp3"):
            if str(candidate) in known or candidate.name.startswith(files.TEMP_PREFIX):
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
        updated = repo.update_tags(track.result_id, **now, file_state=FileState.OK)
        if retagged:
            _note(report.retagged, updated)
        elif track.file_state != FileState.OK:
            _note(report.restored, updated)


def rescan(repo: TrackRepo, library_dir: Path) -> RescanReport:
    """Compare every listed track with its file: renamed, deleted or re-tagged outside the app."""
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
    return report


def _request_from_tags(read: tags.TagSet) -> str | None:
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
    if files.is_inside(library_dir, source):
        return source  # already in the library: list it where it is
    library_dir.mkdir(parents=True, exist_ok=True)
    temp = files.temp_path(library_dir)
    try:
        shutil.copyfile(source, temp)
        return files.place_unique(temp, library_dir, files.safe_filename(title or source.stem))
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def import_files(repo: TrackRepo, sources: list[Path], library_dir: Path) -> ImportReport:
    """Copy existing MP3s into the library and list them, with what their tags say."""
    report = ImportReport()
    for source in map(Path, sources):
        try:
            audio = tags.read_audio_file(source)
            read = audio.tags
            result_id = read.result_id or IMPORTED_PREFIX + mp3_probe.audio_fingerprint(source)[:32]
            if repo.get(result_id) is not None:
                report.skipped.append((source.name, "already in the library"))
                continue
            title = read.title or source.stem
            path = _copy_in(source, Path(library_dir), title)
        except (mp3_probe.NotPlayable, OSError) as exc:
            report.skipped.append((source.name, str(exc)))
            continue
        track = repo.add_imported(
            result_id, str(path), title, task_id=read.task_id, model=read.model,
            style=read.style or read.genre, duration=audio.duration,
            persona_id=read.persona_id or None, lyrics=read.lyrics, album=read.album,
            artist=read.artist, request_json=_request_from_tags(read),
        )  # fmt: skip
        if track is not None:
            report.added.append(track)
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
