"""Pages for learners, line managers and assessors, one module per part of the service. Every object is looked up
through a selector that applies the access rule; someone without access gets 404, never a hint that the object
exists."""
