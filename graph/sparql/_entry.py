"""``python -m graph.sparql._entry MODE ...``: the child processes of ``graph.sparql._replica``.

A module of its own because the package imports ``_replica``; running that module itself
with ``-m`` would execute it twice.
"""

import sys

from graph.sparql._replica import main

if __name__ == "__main__":
    main(sys.argv[1:])
