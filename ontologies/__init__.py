"""kg's ontology and lexicons as data (``kg.ttl``, ``shapes.ttl``, ``gazetteer.tsv``, ``lexicon/``).

This folder is the one source of truth; the wheel ships it as the package ``kg.ontologies`` so that
:func:`kg.vocab.data_file` finds it through :mod:`importlib.resources` wherever kg is installed.
"""
