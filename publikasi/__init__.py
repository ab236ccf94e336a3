"""Placeholder for the publikasi workflow (a later issue); not yet an installed app."""
