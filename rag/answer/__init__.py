"""Answer: the pipeline from a learner's question to a checked, cited answer, and the plans."""
