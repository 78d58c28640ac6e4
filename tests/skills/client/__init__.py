"""Tests of the client skill."""
