"""`python -m casereport`."""

from casereport.cli import main

main()
