"""Parse: term recognition, context cues and claim linking, as plain functions and spaCy components."""
