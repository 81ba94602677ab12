"""The songs list beside the studio form: each generation with its takes, where it is made."""
