"""Datasette for analysts: the generated metadata (`metadata`) and the project's plugin (`plugin`).

`jijiao serve` (cli_serve.py) puts them together over the masked browse copy (publish.py).
"""

DATABASE = "jijiao"
"""The name the served database has in Datasette's URLs: /jijiao/annual_results."""
