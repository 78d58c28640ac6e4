"""Tests of the alerts skill."""
