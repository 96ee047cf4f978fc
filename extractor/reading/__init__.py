"""Meaning on top of structure: column roles (header words and arithmetic), cell values,
and rows through the shared grammars."""
