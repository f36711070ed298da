"""``workshop`` / ``python -m workshop``: no sub-command opens the GUI."""
import sys


def main() -> int:
    from workshop.app import main as app_main
    return app_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
