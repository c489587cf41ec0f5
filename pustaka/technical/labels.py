"""Moved to :mod:`pustaka.printing.labels` (everything Pustaka prints lives in ``pustaka.printing``)."""

from pustaka.printing.labels import *  # noqa: F403
