"""The asyncio job engine: submit -> poll -> download -> tag, and resume after a restart."""
