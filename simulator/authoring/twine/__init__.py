"""Importing a Twine story (Twee or published HTML) as a draft scenario: read the
story, read each passage's links and macros, convert, and write YAML that
validates, listing what could not be carried over."""
