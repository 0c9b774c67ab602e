import sys

from indemnisation.cli import main

sys.exit(main())
