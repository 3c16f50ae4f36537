"""The ``tickstream`` console command."""
