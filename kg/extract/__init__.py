"""Extraction: text -> spaCy pipelines (one per language) -> one :class:`~kg.model.Extraction` per document.

:mod:`kg.extract.document` reads a document paragraph by paragraph; :mod:`kg.extract.pipeline` builds the
spaCy pipelines from kg's components (one module each: sentences, entities, quantities, coref, relations);
:mod:`kg.extract.lexicon` loads the data files those components read.
"""
from kg.extract.document import Extractor

__all__ = ["Extractor"]
