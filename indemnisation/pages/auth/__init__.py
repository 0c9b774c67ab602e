"""Sign-up, sign-in and password pages."""
