"""The RDF graph: extractions -> RDF (:mod:`~kg.graph.rdf`), files in and out (:mod:`~kg.graph.io`), SPARQL
(:mod:`~kg.graph.query`, with the refusal policy of :mod:`~kg.graph.guard`), SHACL (:mod:`~kg.graph.validate`)."""
