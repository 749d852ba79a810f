"""What the courses pages read, one module per area (the catalogue: `catalogue`)."""
