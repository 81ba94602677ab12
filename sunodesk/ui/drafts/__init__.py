"""The Drafts tab: every form state is a draft, saved while you type, with the history of
what each draft generated; export, import and style presets.
"""
