"""`python -m callqa`: the same entry point as the `callqa` console script."""

from callqa.cli import main

if __name__ == "__main__":  # a spawned worker re-imports this module as __mp_main__
    main()
