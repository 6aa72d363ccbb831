"""Exploring a graph: the entity network and its algorithms (:mod:`~kg.explore.network`), summaries
(:mod:`~kg.explore.stats`), paths and neighbours with evidence (:mod:`~kg.explore.paths`), and the interactive
HTML page (:mod:`~kg.explore.render`, :mod:`~kg.explore.layout`, :mod:`~kg.explore.page` and ``static/``)."""
