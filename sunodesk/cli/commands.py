"""What each `sunodesk` sub-command does, over the same engine the window uses."""

from __future__ import annotations

import argparse
import asyncio

from sunodesk.api.errors import AuthError, InsecureURL
from sunodesk.cli import library_commands, library_parsers
from sunodesk.cli.output import Printer, exit_code_for_job, persona_dict, track_dict
from sunodesk.cli.request import UsageProblem, song_request
from sunodesk.core.formatting import format_length
from sunodesk.core.jobstate import GENERATING, JobState
from sunodesk.core.models import Job, PersonaRequest, Problem
from sunodesk.engine.engine import RequestInvalid
from sunodesk.engine.session import NoApiKey, Session, open_session, open_store
from sunodesk.store.settings import take_notices


def _session(args: argparse.Namespace) -> Session:
    try:
        return open_session(args.data_dir, args.base_url, args.sandbox)
    except NoApiKey as exc:
        raise UsageProblem([Problem("api-key", str(exc))]) from None
    except InsecureURL as exc:
        raise UsageProblem([Problem("base-url", exc.message)]) from None
    except AuthError as exc:  # a key that could never be sent
        raise UsageProblem([Problem("api-key", exc.message)]) from None


async def dispatch(args: argparse.Namespace, out: Printer) -> int:
    if args.command in ("jobs", "library", "personas"):
        return await asyncio.to_thread(_offline, args, out)
    if args.command in library_parsers.COMMANDS:
        return await asyncio.to_thread(library_commands.run, args, out)
    session = _session(args)
    for notice in session.notices:
        out.note(notice)
    if session.sandbox_mode:
        out.note(f"Sandbox mode: talking to the built-in simulator at {session.base_url}.")
    unsubscribe = session.engine.events.subscribe(out.event)
    try:
        handler = {
            "generate": _generate,
            "resume": _resume,
            "credits": _credits,
            "persona": _persona_create,
        }[args.command]
        return await handler(args, session, out)
    except RequestInvalid as exc:
        raise UsageProblem(exc.problems) from None
    finally:
        unsubscribe()
        await session.close()


async def _print_job(session: Session, out: Printer, job: Job, waited: bool = True) -> int:
    tracks = await asyncio.to_thread(session.store.tracks.for_job, job.id)
    out.job(job, tracks)
    return exit_code_for_job(job, waited)


async def _generate(args: argparse.Namespace, session: Session, out: Printer) -> int:
    request = await asyncio.to_thread(song_request, args, session.store)
    job = await session.engine.submit_song(request, until_submitted=not args.wait)
    job = await session.engine.wait(job.id)
    if not args.wait and job.state in GENERATING:
        out.line("Submitted; `sunodesk resume` collects the takes when they are ready.")
    return await _print_job(session, out, job, waited=args.wait)


async def _resume(args: argparse.Namespace, session: Session, out: Printer) -> int:
    jobs = await session.engine.resume_all()
    if not jobs:
        out.line("Nothing to resume: every job is finished.")
        return 0
    out.line(f"Resuming {len(jobs)} job(s)…")
    await session.engine.wait_all()
    worst = 0
    for job in jobs:
        final = await session.engine.wait(job.id)
        worst = max(worst, await _print_job(session, out, final))
    return worst


async def _credits(args: argparse.Namespace, session: Session, out: Printer) -> int:
    credits = await asyncio.to_thread(session.engine.client.get_credits)
    if out.json_mode:
        out.obj(
            {
                "type": "credits",
                "remaining": credits.remaining,
                "used": credits.used,
                "unlimited": credits.unlimited,
                "account_remaining": credits.account_remaining,
            }
        )
    else:
        out.line(
            "Unlimited credits" if credits.unlimited else f"{credits.remaining:g} credits remaining"
        )
    return 0


async def _persona_create(args: argparse.Namespace, session: Session, out: Printer) -> int:
    track = await asyncio.to_thread(session.store.tracks.get, args.track)
    if track is None:
        raise UsageProblem(
            [
                Problem(
                    "track",
                    f"no take with result id {args.track!r} in the library; see `sunodesk library`",
                )
            ]
        )
    request = PersonaRequest(
        source_task_id=track.task_id,
        result_id=track.result_id,
        name=args.name,
        description=args.description,
        vocal_start=args.vocal_start,
        vocal_end=args.vocal_end,
        source_model=track.model,
    )
    job = await session.engine.submit_persona(request, until_submitted=not args.wait)
    job = await session.engine.wait(job.id)
    persona = None
    if job.state == JobState.DONE:
        persona = await asyncio.to_thread(session.store.personas.for_result, track.result_id)
    if persona is not None:
        if out.json_mode:
            out.obj(persona_dict(persona) | {"job_id": job.id, "task_id": job.task_id})
        else:
            out.line(f"Persona “{persona.name}” created: {persona.persona_id}")
        return 0
    return await _print_job(session, out, job, waited=args.wait)


def _offline(args: argparse.Namespace, out: Printer) -> int:
    """Commands that only read the local store: no key, no network."""
    folder, _settings, store = open_store(args.data_dir, args.sandbox)
    for notice in take_notices(folder):
        out.note(notice)
    try:
        if args.command == "jobs":
            for job in store.jobs.list_jobs(False):
                out.job(job, store.tracks.for_job(job.id))
        elif args.command == "library":
            tracks = store.tracks.recent(search=args.search)
            for track in tracks:
                if out.json_mode:
                    out.obj(track_dict(track))
                else:
                    length = format_length(track.duration or 0)
                    out.line(f"{track.title[:40]:40}  {length}  {track.model:18} {track.result_id}")
            if not tracks and not out.json_mode:
                out.line("The library is empty." if not args.search else "No match.")
        else:
            personas = store.personas.all()
            for persona in personas:
                uses = store.personas.usage_count(persona.persona_id)
                if out.json_mode:
                    out.obj(persona_dict(persona, uses))
                else:
                    out.line(
                        f"{persona.name:24} {persona.persona_id}  used {uses}×  "
                        f"— {persona.description[:50]}"
                    )
            if not personas and not out.json_mode:
                out.line("No personas yet: `sunodesk persona create --track RESULT_ID …`")
    finally:
        store.close()
    return 0
