"""Recognizers: lexicon cues, personal data and the embedding classifier."""
