"""Pure rules of supervision: annual reports (AR-*, RG-12), credit lists (CR-*), the dormant
criteria (DO-1). No ORM, no request."""
