"""Layanan Aduan Masyarakat: the public complaint form, tracking, and the complaint workflow."""
