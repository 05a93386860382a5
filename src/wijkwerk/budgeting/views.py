"""The budget rounds' pages: thin views over selectors and services."""
