"""DataLoaders, one per file: dedupe the keys, one grouped query per batch, answers in key order.

Each batch opens its own short session, because sibling resolvers run concurrently, through
the request's ``Context.read`` (see :mod:`shopx.api.graphql.dataloaders.session_loader`).
"""
