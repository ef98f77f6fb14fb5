"""The domain layer: the only package that queries the models; every rule lives here."""
