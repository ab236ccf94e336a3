"""Publication workflows: social-media publishing (Bunder SOP); later the consequence test,
public announcements and the public information register."""
