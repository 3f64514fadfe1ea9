"""`python -m app` runs Claimdesk, as the `claimdesk` command does."""

import sys

from app.main import main

sys.exit(main())
