"""One router per resource; each route parses, calls one domain service, answers."""
