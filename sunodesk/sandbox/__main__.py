"""``python -m sunodesk.sandbox [--port N] [--speed X] [--state-dir DIR]``."""

from __future__ import annotations

import argparse

from sunodesk.sandbox.server import run_forever


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sunodesk.sandbox")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--speed", type=float, default=10.0, help="time scale (10 = 10x faster)")
    parser.add_argument("--state-dir", default=None, help="keep tasks and credits here")
    parser.add_argument("--api-key", default=None, help="accept only this key")
    parser.add_argument("--song-seconds", type=float, default=150.0)
    args = parser.parse_args(argv)
    run_forever(args.port, args.speed, args.state_dir, api_key=args.api_key,
                song_seconds=args.song_seconds)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
