"""socorg: the working platform of a civil-affairs bureau for social organizations."""
