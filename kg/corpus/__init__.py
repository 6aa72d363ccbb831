"""Corpora: many documents in one Oxigraph store (:mod:`~kg.corpus.store`, filled by :mod:`~kg.corpus.ingest`
with cross-document merges from :mod:`~kg.corpus.resolve`), its SPARQL (:mod:`~kg.corpus.sparql`), exports
(:mod:`~kg.corpus.export`) and the HTTP endpoint (:mod:`~kg.corpus.serve`)."""
