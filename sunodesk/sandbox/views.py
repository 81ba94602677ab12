"""The JSON bodies the sandbox answers with, built from state records (doc 2.3, 2.4, 3, 6.1).

Media URLs are built from the base URL of the request (its Host header), so they stay valid
when a sandbox restarted in the same state folder listens on another port.
"""

from __future__ import annotations

from typing import Any

from sunodesk.sandbox.state import TASK_FAILURE_MESSAGES, SandboxState


def media_urls(base: str, task_id: str, take: dict[str, Any]) -> dict[str, str]:
    stem = f"{base}/media/{task_id}/{take['result_id']}"
    return {
        "audio_url": f"{stem}.mp3",
        "stream_audio_url": f"{stem}.mp3?stream=1",
        "image_url": f"{stem}.png",
    }


def submit_view(state: SandboxState, task: dict[str, Any]) -> dict[str, Any]:
    """The task object a POST /v1/audios/generations returns (doc 2.3)."""
    return {
        "created": task["created"],
        "id": task["id"],
        "model": task["model"],
        "object": "audio.generation.task",
        "progress": 0,
        "status": "pending",
        "task_info": {
            "can_cancel": task["kind"] == "song",
            "estimated_time": state.estimated_time(task["kind"]),
        },
        "type": "audio",
        "usage": {
            "billing_rule": "per_call",
            "credits_reserved": task["cost"],
            "user_group": "default",
        },
    }


def task_view(
    state: SandboxState, task: dict[str, Any], base: str, shape: str = "list"
) -> dict[str, Any]:
    """The body of GET /v1/tasks/{id} right now (doc 2.4 for songs, 3 for personas)."""
    status, progress = state.status(task)
    view: dict[str, Any] = {
        "id": task["id"],
        "object": "audio.generation.task",
        "model": task["model"],
        "created": task["created"],
        "status": status,
        "progress": progress,
        "type": "audio",
        "task_info": {"can_cancel": False},
    }
    if status in ("pending", "processing"):
        remaining = task["start"] + task["run_seconds"] - state.clock()
        view["task_info"] = {
            "can_cancel": task["kind"] == "song",
            "estimated_time": max(1, round(remaining)),
        }
    elif status == "failed":
        code = task["fail"]
        message = TASK_FAILURE_MESSAGES.get(code, f"The task failed: {code}")
        view["error"] = {"code": code, "message": message, "type": "task_error"}
    elif task["kind"] == "persona":
        view["result_data"] = {"persona_id": task["persona_id"]}
    else:
        songs = []
        for take in task["takes"]:
            item = {
                "result_id": take["result_id"],
                "duration": take["duration"],
                "tags": take["tags"],
                "title": take["title"],
            }
            item.update(media_urls(base, task["id"], take))
            songs.append(item)
        view["results"] = [song["audio_url"] for song in songs]
        if shape == "songs":
            view["result_data"] = {"songs": songs}
        elif shape != "results_only":
            view["result_data"] = songs
    return view


def credits_view(state: SandboxState) -> dict[str, Any]:
    """The body of GET /v1/credits (doc 6.1)."""
    remaining, used = state.balance()
    return {
        "success": True,
        "message": "",
        "data": {
            "token": {
                "remaining_credits": float(remaining),
                "unlimited_credits": False,
                "used_credits": float(used),
            },
            "user": {"remaining_credits": float(remaining), "used_credits": float(used)},
        },
    }
