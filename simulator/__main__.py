"""``python -m simulator`` does what ``rehearse`` does."""

import sys

from simulator.cli import main

sys.exit(main())
