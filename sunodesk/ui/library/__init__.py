"""The Library tab: every filed take (search, filters, the table, the details pane), the
file actions of its context menu, the tag editor, and the bridge to the store's library.
"""
