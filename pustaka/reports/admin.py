# Reports have no models to administer.
