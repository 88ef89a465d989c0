"""Pure rules of the registry: no ORM, no request; plain values in, plain values out.

- ``organizations``: credit codes (ID-*), resident identity numbers, branches (RG-5);
- ``names``: the shape of a name and the comparison keys of the name index (RG-2, RG-13, RG-15);
- ``changes``: which fields a data correction may change and the event each change records."""
