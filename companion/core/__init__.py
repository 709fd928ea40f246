"""Plain-Python core: decisions live here, and nothing here imports Qt."""
