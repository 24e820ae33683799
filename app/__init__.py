"""ttx: tabletop crisis exercises for Track-2 dialogues."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ttx")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"
