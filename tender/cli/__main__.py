"""``python -m tender.cli``: the same as the ``tender`` command."""

import sys

from tender.cli import main

sys.exit(main())
