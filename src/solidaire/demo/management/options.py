"""Options shared by `demo-data` and `demo`."""


def people_count(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


def add_people_and_seed(parser) -> None:
    parser.add_argument(
        "--people", type=people_count, default=500,
        help="How many invented members to add (default: %(default)s).",
    )
    parser.add_argument(
        "--seed", type=int, default=1,
        help="Seed of the random generator; the same seed gives the same members "
             "(default: %(default)s).",
    )
