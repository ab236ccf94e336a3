"""Pemantauan Opini Publik: citizens' opinions found on the web and social media, routed to the
responsible Perangkat Daerah, answered, reviewed and posted back."""
