"""Live work: a long-lived session, watching, the preview server and its HTTP handler, batches."""
