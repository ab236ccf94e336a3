"""Placeholder for the opini workflow (a later issue); not yet an installed app."""
