"""Table validation: frictionless, Brazilian table conventions and the LGPD check."""
