"""`python -m app` is `backprop-lens`."""

import sys

from app.cli import main

sys.exit(main())
