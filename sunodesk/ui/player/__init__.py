"""The player: the service that owns QMediaPlayer (queue, A/B takes, volume) and the
now-playing bar at the bottom of the window. Other parts play takes through the hub.
"""
