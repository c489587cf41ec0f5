"""Moved to :mod:`pustaka.printing.cards` (everything Pustaka prints lives in ``pustaka.printing``)."""

from pustaka.printing.cards import *  # noqa: F403
