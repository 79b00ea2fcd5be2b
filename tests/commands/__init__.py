"""Tests of the `coursekit` command, one module per command module in coursekit.commands."""
