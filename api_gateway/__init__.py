"""Tickstream API gateway: authentication, users and accounts, the REST API and the web app."""
