"""Signals other apps listen to. The frameworks app imports no other app (the layering is
`cms → courses → skills → frameworks`), so it announces what happened and the apps above react."""

from django.dispatch import Signal

# Sent after the transaction that published a release commits, with `release` (the newly current
# FrameworkRelease). The skills app carries people's levels forward into it.
release_published = Signal()
