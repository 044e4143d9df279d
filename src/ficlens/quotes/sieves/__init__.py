"""The sieves of quote attribution, one module each; `quotes/attribute.py` lists them in the
order they run (`SIEVES`). Each is a function `sieve(ctx, state)` over the shared `Context`
(the work, read-only) and `State` (the attributions so far), see `context.py`."""
