"""Reads of the courses app. Each module's selectors are imported from the module itself."""
