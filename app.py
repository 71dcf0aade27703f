"""Binnenstadmonitor: the entry script is only the frame (see ui/frame.py)."""

from ui import frame

frame.run()
