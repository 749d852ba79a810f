"""Django's PostgreSQL backend with a health check that asks the socket rather than the server (decision 0226)."""
