"""The studio: the form at the centre of the window where a song is written and set up
(lyrics editor and its highlighter, title, style and exclude chips over the tag vocabulary,
the model and mode switches, the weight sliders, persona choice) and the Generate-more dialog.
"""
