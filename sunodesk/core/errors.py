"""Error kinds shared by every layer, and the one plain sentence a person sees for each."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ErrorKind(StrEnum):
    INVALID = "invalid"  # 400: the fields were wrong; nothing created
    AUTH = "auth"  # 401
    CREDITS = "credits"  # 402
    ACCESS = "access"  # 403
    NOT_FOUND = "not_found"  # 404
    RATE = "rate"  # 429: nothing created, safe to retry later
    SERVER = "server"  # 5xx
    NETWORK = "network"  # no answer at all
    MALFORMED = "malformed"  # an answer we could not read
    TASK_FAILED = "task_failed"  # the task ran and failed
    EXPIRED = "expired"  # media links outlived their life
    DOWNLOAD = "download"  # a download broke or was not a playable MP3
    TIMEOUT = "timeout"  # we stopped waiting for the task


class Action(StrEnum):
    """What a front end offers next to a sentence (a button in the window)."""

    OPEN_SETTINGS = "open_settings"
    EDIT_REQUEST = "edit_request"
    RETRY_DOWNLOAD = "retry_download"
    CHECK_AGAIN = "check_again"
    SUBMIT_AGAIN = "submit_again"
    TRY_AGAIN = "try_again"  # a refusal that proved nothing was sent: send it once more
    CHECK_BALANCE = "check_balance"  # ask the server for the balance again


# The action a front end offers next to the sentence; for a stored job, see
# core.jobstate.next_action, which reads this table.
ACTIONS: dict[ErrorKind, Action] = {
    ErrorKind.AUTH: Action.OPEN_SETTINGS,
    # Settings cannot add credits: offer a fresh look at the balance instead
    ErrorKind.CREDITS: Action.CHECK_BALANCE,
    ErrorKind.ACCESS: Action.EDIT_REQUEST,
    ErrorKind.INVALID: Action.EDIT_REQUEST,
    ErrorKind.TASK_FAILED: Action.EDIT_REQUEST,
    ErrorKind.DOWNLOAD: Action.RETRY_DOWNLOAD,
    ErrorKind.EXPIRED: Action.RETRY_DOWNLOAD,
    ErrorKind.TIMEOUT: Action.CHECK_AGAIN,
    ErrorKind.RATE: Action.TRY_AGAIN,
    ErrorKind.SERVER: Action.TRY_AGAIN,
    ErrorKind.NETWORK: Action.TRY_AGAIN,
}

# Refusals (state "rejected") whose error code proves no task was created: a 429, a 503 "no
# available channel", a connection that never left this machine. The engine retried them by
# itself and gave up; the person may send the same request once more.
RETRYABLE_REFUSALS: frozenset[str] = frozenset(
    {ErrorKind.RATE.value, ErrorKind.SERVER.value, ErrorKind.NETWORK.value}
)


def balance_sentence(balance: float | None) -> str:
    """What the window says under a "Not enough credits" refusal after a fresh look."""
    if balance is None:
        return "The balance could not be read just now."
    return f"Your balance now: {balance:,g} credits."


TASK_FAILURE_SENTENCES = {
    "content_policy_violation": "The request was refused under the content policy; "
    "edit the lyrics or styles and try again.",
    "generation_timeout": "The generation timed out on the server; try again later.",
    "generation_failed_no_content": "The server produced no audio for this request.",
    "service_unavailable": "The music service was unavailable; try again later.",
    "resource_not_found": "The task no longer exists on the server.",
    "quota_exceeded": "The server ran out of quota for this task.",
}


@dataclass(frozen=True)
class UserMessage:
    sentence: str
    action: Action | None = None


def sentence_for(
    kind: ErrorKind,
    *,
    model: str = "",
    balance: float | None = None,
    retry_in: float | None = None,
    detail: str = "",
    code: str = "",
) -> UserMessage:
    """The plain sentence (and action) for one error. Never a traceback, never a secret."""
    if kind is ErrorKind.AUTH:
        text = "The API key was refused. Check it in Settings."
    elif kind is ErrorKind.CREDITS:
        text = "Not enough credits."
        if balance is not None:
            text += f" Current balance: {balance:g}."
    elif kind is ErrorKind.ACCESS:
        text = f"This key cannot use model {model}." if model else "This key cannot do that."
    elif kind is ErrorKind.INVALID:
        text = f"The request was refused: {detail}" if detail else "The request was refused."
    elif kind is ErrorKind.RATE:
        text = f"Busy, retrying in {retry_in:.0f} s." if retry_in else "Busy; try again shortly."
    elif kind in (ErrorKind.SERVER, ErrorKind.NETWORK):
        text = (
            "The server had a problem" if kind is ErrorKind.SERVER else "No answer from the server"
        )
        text += f"; retrying in {retry_in:.0f} s." if retry_in else "."
    elif kind is ErrorKind.MALFORMED:
        text = "The server sent an answer that could not be read."
    elif kind is ErrorKind.NOT_FOUND:
        text = "The server does not know that task."
    elif kind is ErrorKind.TASK_FAILED:
        text = TASK_FAILURE_SENTENCES.get(code) or (
            f"The generation failed: {detail}" if detail else "The generation failed."
        )
    elif kind is ErrorKind.EXPIRED:
        text = "The download links expired before the songs could be saved."
    elif kind is ErrorKind.DOWNLOAD:
        text = "A download did not complete; it will be retried."
    else:
        text = "We stopped waiting for this task; check again later."
    return UserMessage(text, ACTIONS.get(kind))


UNKNOWN_OUTCOME = UserMessage(
    "Outcome unknown: the request may have reached the server. "
    "Check your Evolink dashboard before submitting again.",
    Action.SUBMIT_AGAIN,
)
