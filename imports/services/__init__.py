"""Every write of the imports app: upload and mapping, dry run, apply, undo."""

from imports.services.apply import import_apply_run, import_apply_start, import_runs_reap
from imports.services.checking import import_dry_run_start, import_dry_runs_reap
from imports.services.dry_run import counts_expected, import_decisions_set, import_dry_run
from imports.services.undo import import_built_upon, import_undo
from imports.services.uploads import import_mapping_set, import_run_create, mapping_from_saved

__all__ = [
    "counts_expected",
    "import_apply_run",
    "import_apply_start",
    "import_built_upon",
    "import_decisions_set",
    "import_dry_run",
    "import_dry_run_start",
    "import_dry_runs_reap",
    "import_mapping_set",
    "import_run_create",
    "import_runs_reap",
    "import_undo",
    "mapping_from_saved",
]
