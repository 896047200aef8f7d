"""Caching of whole GraphQL answers: two tiers, exact invalidation by tags, single flight.

* :mod:`shopx.cache.local`: the in-process tier (bounded LRU, TTL, memory cap) in every
  process; :mod:`shopx.cache.remote`: the Redis tier shared by all instances.
* :mod:`shopx.cache.tags`: what each answer depends on and what each write touched.
* :mod:`shopx.cache.freshness`: how a write reaches every instance before its response
  leaves, and what a process does when it cannot be sure (see that module).
* :mod:`shopx.cache.documents`: GraphQL documents normalized into keys, TTLs and tags.
* :mod:`shopx.cache.responses`: the response cache that puts them together; the ASGI edge
  that answers hits before FastAPI and Strawberry is :mod:`shopx.api.response_cache`.
"""
