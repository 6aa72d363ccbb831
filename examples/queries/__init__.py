"""The example SPARQL queries, shipped inside the wheel as ``kg.queries`` (the endpoint's query page loads them)."""
