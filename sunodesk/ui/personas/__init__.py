"""The Personas tab: the voices made from takes, the Create-persona dialog, and keeping the
studio's persona choice in step with the store.
"""
