"""Views of the cases app: the case workers' pages (staff*.py) under /saksbehandling/saker/."""
