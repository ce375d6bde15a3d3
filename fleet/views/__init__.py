"""Pages of the fleet app: the shop's side (Send to Fleet, Fleet Communication) and the
fleet portal (its own area, guarded by fleet membership)."""
