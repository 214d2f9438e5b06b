"""Developer tools shipped with tfcompat (``tfcompat api-coverage``)."""
