"""Binds every scenario under features/ (each jurisdiction's executable specification)."""

from pytest_bdd import scenarios

scenarios("national", "liaoning", "wenzhou", "changsha")
