"""The `sunodesk` command: the window by default, sub-commands for scripting.

A stable contract (shared/design.md): exit codes 0 done, 2 invalid input (messages name the
fields), 3 the API refused (auth, credits, access, rate), 4 a task failed, 1 anything else.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import sys

from sunodesk import __version__
from sunodesk.api.errors import ApiError
from sunodesk.cli import library_parsers
from sunodesk.cli.output import Printer, exit_code_for
from sunodesk.cli.request import UsageProblem, check_options
from sunodesk.core import rules
from sunodesk.store.db import DatabaseDamaged, DatabaseReadOnly

log = logging.getLogger(__name__)
EXIT_OK, EXIT_OTHER, EXIT_INVALID = 0, 1, 2  # 3 and 4 come from the job (cli.output)


def _global_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--data-dir", default=default, help="where everything is stored")
    parser.add_argument("--base-url", default=default, help="the Evolink API base URL")
    parser.add_argument(
        "--sandbox",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="use the built-in simulator (no account needed)",
    )


def _weight(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value):  # nan and inf parse as floats but mean nothing here
        raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port (0 to 65535; 0 picks a free one)")
    return value


def _speed(text: str) -> float:
    value = _weight(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"the time scale must be above 0, not {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sunodesk", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"sunodesk {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="generate and play one sandbox song offline, then exit 0 or 1",
    )
    _global_options(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        _global_options(p, suppress=True)
        return p

    gen = command("generate", "generate a song")
    gen.add_argument(
        "--model",
        default=rules.DEFAULT_MODEL,
        help=f"one of {', '.join(r.name for r in rules.MODELS)}",
    )
    gen.add_argument("--simple", metavar="TEXT", help="simple mode: describe the song")
    gen.add_argument("--title", default="")
    gen.add_argument("--style", default="", help='comma-separated tags, e.g. "pop, upbeat"')
    gen.add_argument("--lyrics-file", metavar="F", help="a lyrics file, or - for stdin")
    gen.add_argument("--exclude", default="", help="comma-separated styles to avoid")
    gen.add_argument("--instrumental", action="store_true")
    gen.add_argument("--vocal-gender", choices=("m", "f"))
    gen.add_argument("--style-weight", type=_weight)
    gen.add_argument("--weirdness", type=_weight)
    gen.add_argument("--audio-weight", type=_weight)
    gen.add_argument("--persona", metavar="NAME|ID")
    gen.add_argument("--persona-model", choices=("style", "voice"), default="style")
    gen.add_argument("--album", default="", help="album tag (the draft's name)")
    gen.add_argument("--wait", action="store_true", help="wait until the takes are filed")
    gen.add_argument("--json", action="store_true")

    for name, help_ in (
        ("jobs", "list jobs"),
        ("resume", "finish every unfinished job"),
        ("credits", "show the credit balance"),
        ("personas", "list personas"),
    ):
        command(name, help_).add_argument("--json", action="store_true")

    lib = command("library", "list the songs in the library")
    lib.add_argument("--search", metavar="TEXT")
    lib.add_argument("--json", action="store_true")

    persona = command("persona", "manage personas")
    psub = persona.add_subparsers(dest="persona_command", metavar="ACTION", required=True)
    create = psub.add_parser("create", help="create a persona from a take in the library")
    _global_options(create, suppress=True)
    create.add_argument("--track", required=True, metavar="RESULT_ID")
    create.add_argument("--name", required=True)
    create.add_argument("--description", required=True)
    create.add_argument("--vocal-start", type=_weight, metavar="S")
    create.add_argument("--vocal-end", type=_weight, metavar="E")
    create.add_argument("--wait", action="store_true")
    create.add_argument("--json", action="store_true")

    library_parsers.add_parsers(command)  # import and edit: the window's library actions

    box = command("sandbox", "run the built-in Evolink simulator")
    box.add_argument("--port", type=_port, default=8765)
    box.add_argument("--speed", type=_speed, default=10.0, help="time scale (10 = 10x faster)")
    return parser


async def _run(args: argparse.Namespace, out: Printer) -> int:
    from sunodesk.cli import commands

    return await commands.dispatch(args, out)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--decode-waveforms"]:  # the window's waveform decoder, one per session
        from sunodesk.ui.player.decode_child import serve

        return serve()
    if len(argv) == 2 and argv[0] == "--decode-waveform":  # one file, by hand
        from sunodesk.ui.player.decode_child import main as decode_waveform

        return decode_waveform(argv[1])
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test:
        from sunodesk.selftest import run as self_test

        return self_test()
    _start_logging(args)
    out = Printer(json_mode=getattr(args, "json", False))
    try:
        check_options(args)  # before the window, a session or any request
    except UsageProblem as exc:
        log.info("invalid input: %s", exc)
        out.problems(exc.problems)
        return EXIT_INVALID
    if args.command is None:
        return _window(args)
    if args.command == "sandbox":
        from sunodesk.sandbox.server import run_forever

        run_forever(port=args.port, speed=args.speed)
        return EXIT_OK
    try:
        return asyncio.run(_run(args, out))
    except UsageProblem as exc:
        log.info("invalid input: %s", exc)
        out.problems(exc.problems)
        return EXIT_INVALID
    except ApiError as exc:
        log.info("%s failed: %s", args.command, exc.user_message().sentence, exc_info=True)
        out.error(exc.user_message().sentence)
        return exit_code_for(exc)
    except (DatabaseDamaged, DatabaseReadOnly) as exc:
        log.info("%s failed: %s", args.command, exc.message, exc_info=True)
        out.error(exc.message)
        return EXIT_OTHER
    except KeyboardInterrupt:
        out.error("Interrupted; unfinished jobs continue with `sunodesk resume`.")
        return 130
    except Exception as exc:  # never a traceback for the person; SUNODESK_DEBUG=1 shows it
        log.info("unexpected error", exc_info=True)  # INFO: the file, not the terminal
        out.error(f"Something went wrong: {exc}")
        return EXIT_OTHER


def _start_logging(args: argparse.Namespace) -> None:
    """The log file under the data folder, for the window and every sub-command."""
    from sunodesk.store import logfile, paths

    try:
        data_dir = paths.resolve_data_dir(getattr(args, "data_dir", None))
    except OSError:  # the command itself says what is wrong with the folder
        data_dir = None
    where = logfile.setup_logging(data_dir, debug=logfile.debug_enabled(), console=True)
    log.info("sunodesk %s: %s (log: %s)", __version__, args.command or "window", where)


def _window(args: argparse.Namespace) -> int:
    try:
        from sunodesk.ui.app import run
    except ImportError as exc:  # Qt or a system library it needs is missing
        log.info("the window cannot start", exc_info=True)
        print(
            f"sunodesk: the window cannot start ({exc}). The command line still works: "
            "try `sunodesk --sandbox generate --help`.",
            file=sys.stderr,
        )
        return EXIT_OTHER
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
