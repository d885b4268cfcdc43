"""Renderers: plans and apply reports as text. Pure: values in, strings out."""
