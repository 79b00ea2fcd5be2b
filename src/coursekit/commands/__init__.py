"""The CLI's command groups, one module each: they parse options, call a room, print."""
