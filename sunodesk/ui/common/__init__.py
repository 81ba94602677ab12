"""Pieces every part of the window shares and that belong to none of them: widget naming,
the theme and the icon set, the flow layout, the cover cache, and the helpers that run
coroutines on the loop (spawn) and blocking calls in worker threads (off_thread).
"""
