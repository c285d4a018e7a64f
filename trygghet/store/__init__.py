"""The DuckDB store: schema migrations and one module per aggregate; every SQL statement outside the indicator compiler."""
