"""Export stages: HTML and PDF, written atomically."""
