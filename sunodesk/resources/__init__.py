"""Files shipped with sunodesk: the style vocabulary and icons."""
