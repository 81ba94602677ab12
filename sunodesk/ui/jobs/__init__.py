"""The Jobs tab: every generation the engine is working on or has finished, with live state
and progress, the plain error sentence and the one action offered beside it.
"""
