"""The one seam for database-specific features, with an SQLite equivalent for each.

Substring search on names (``name_contains``)
---------------------------------------------
Meaning, identical on both backends: the name contains the term; the Latin letters A-Z match
either case (SQLite's LIKE semantics), every other character matches only itself.

=========  =================================================  ==================================
term       PostgreSQL                                         SQLite
=========  =================================================  ==================================
3+ chars   ``LIKE`` served by a pg_trgm GIN index             FTS5 trigram index (external
                                                              content, kept in sync by triggers)
                                                              narrowed by ``LIKE``
1-2 chars  ``@@`` on a hidden tsvector column of the name's   ``LIKE``
           2-grams and last character (GIN, exact)
=========  =================================================  ==================================

pg_trgm needs three characters, and Chinese names are searched by one or two all the time
(协会, 幼儿), hence the n-gram column; a trigger fills it and the ORM does not know it. The
indexes exist only for the columns in ``NAME_INDEXES`` (created by a migration through
:func:`create_name_index`); any other field gets the same meaning from a plain LIKE.

Capped and ordered reads (``count_up_to``, ``bounded_ordered``)
--------------------------------------------------------------
A list shows a first page sorted by name and a count capped at 10,000. On PostgreSQL at scale
one read answers both, chosen by the share of names the query matches (``choose_plan``): a
frequent term is walked in name order along a btree that holds the name and the filters
(index-only, stopping after 10,001 matches), a rare one read through the GIN index, and a
table of the n-grams found in each jurisdiction's names skips the jurisdictions that cannot
match (see the section below and benchmarks/README.md). On SQLite they are the plain queries.
"""

from socorg.core.db.bounded import (
    ROW_COST,
    SAMPLE_ROWS,
    WALK_RISK,
    SearchPlan,
    bounded_ordered,
    choose_plan,
    count_up_to,
    search_plan,
)
from socorg.core.db.compiled import CompiledQuery
from socorg.core.db.names import (
    NAME_INDEXES,
    NameIndex,
    create_name_index,
    create_name_order,
    drop_name_index,
    drop_name_order,
    fold,
    name_contains,
    register_name_index,
    repair_name_indexes,
    sqlite_trigram_available,
)
from socorg.core.db.rows import fetch_instances, select_columns

__all__ = [
    "NAME_INDEXES",
    "ROW_COST",
    "SAMPLE_ROWS",
    "WALK_RISK",
    "CompiledQuery",
    "NameIndex",
    "SearchPlan",
    "bounded_ordered",
    "choose_plan",
    "count_up_to",
    "create_name_index",
    "create_name_order",
    "drop_name_index",
    "drop_name_order",
    "fetch_instances",
    "fold",
    "name_contains",
    "register_name_index",
    "repair_name_indexes",
    "search_plan",
    "select_columns",
    "sqlite_trigram_available",
]
