"""Settings: the dialog (API key, base URL, library folder, artist, tag version, parallel jobs)
and the flow around it (read the key off the GUI thread, test it, save, and rebuild the
session).
"""
