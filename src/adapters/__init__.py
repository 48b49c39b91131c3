"""Adapters: the core's ports connected to MongoDB, bcrypt, JWT and the other services."""
