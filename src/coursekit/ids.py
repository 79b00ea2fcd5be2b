"""Identifiers every room agrees on. The browser's copy is written into the page at build time."""

import re

# A learner id: what an LMS exports as a username or ID number, safe as a file name.
LEARNER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$"
LEARNER = re.compile(LEARNER_PATTERN)
# The pattern in words, for every message that refuses an id.
LEARNER_RULE = "only letters, digits and . _ @ + - (no paths), starting with a letter or digit, at most 64 characters"
