"""The field benchmark's modules: corpus, steps, pipeline, mutator, sections check, report."""
