"""Reading and checking files that training administrators upload. Nothing here writes: the services do."""
