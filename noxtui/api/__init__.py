"""The NoxInfluencer HTTP client: envelopes in, models out."""
