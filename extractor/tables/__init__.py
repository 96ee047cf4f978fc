"""Structure without the domain: a line as cells, cells as tables (header, columns, body)."""
