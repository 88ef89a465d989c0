"""Pure rules of registration: applications and their joint review, materials checklists,
principal candidates and terms. Plain values in, Chinese explanations out; no ORM, no request."""
