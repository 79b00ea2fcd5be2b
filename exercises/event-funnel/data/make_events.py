"""Write events.csv, the illustrative event log of the event-funnel exercise.

Every row is made up by the seeded generator below: a hypothetical shop in a short-video
app, six weeks of product views, add-to-cart events and purchases through three channels.
Nothing in it describes TikTok Shop's real users or results. Standard library only, and
deterministic: the same seed always writes the same file, byte for byte.

    python make_events.py              # rewrites events.csv next to this script
    python make_events.py --out DIR    # writes DIR/events.csv instead
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import datetime, timedelta
from pathlib import Path

SEED = 2024
USERS = 400
WEEKS = 6
START = datetime(2024, 10, 7)  # a Monday; the log covers six whole weeks from it
CHANNELS = ("video", "shop_page", "live")
CHANNEL_WEIGHTS = (0.6, 0.25, 0.15)
# Chance, per session in a channel, of adding to cart after viewing, and of buying after that.
P_CART = {"video": 0.25, "shop_page": 0.45, "live": 0.35}
P_BUY = {"video": 0.45, "shop_page": 0.55, "live": 0.60}


def _at(week: int, rng: random.Random) -> datetime:
    return START + timedelta(weeks=week, days=rng.randrange(7), hours=rng.randrange(8, 23), minutes=rng.randrange(60))


def events(seed: int = SEED) -> list[tuple[str, str, str, str]]:
    """(user, timestamp, event, channel) rows, shuffled as a log collected from many servers is."""
    rng = random.Random(seed)
    rows = []
    for n in range(1, USERS + 1):
        user = f"u{n:04d}"
        first_week = rng.choices(range(WEEKS), weights=(6, 5, 4, 3, 2, 1))[0]
        keen = rng.random()  # how likely this user is to come back in a later week
        bought = None  # the week of this user's first purchase, once there is one
        for week in range(first_week, WEEKS):
            if week > first_week:
                # Buyers come back more than browsers, and less with every week that passes.
                chance = 0.5 * keen if bought is None else (0.5 + 0.5 * keen) * 0.75 ** (week - bought - 1)
                if rng.random() > chance:
                    continue
            for _ in range(rng.randrange(1, 4)):  # sessions this week
                channel = rng.choices(CHANNELS, weights=CHANNEL_WEIGHTS)[0]
                t = _at(week, rng)
                for _ in range(rng.randrange(1, 3)):  # a session may view more than once
                    rows.append((user, t, "view", channel))
                    t += timedelta(seconds=rng.randrange(5, 90))
                # Someone who has bought before is likelier to buy again.
                if rng.random() < P_CART[channel] * (1.8 if bought is not None else 1.0):
                    t += timedelta(seconds=rng.randrange(10, 300))
                    # Now and then a client clock runs behind, and the cart is logged
                    # before the view that led to it.
                    skew = timedelta(minutes=10) if rng.random() < 0.05 else timedelta(0)
                    rows.append((user, t - skew, "add_to_cart", channel))
                    if rng.random() < P_BUY[channel]:
                        t += timedelta(seconds=rng.randrange(20, 600))
                        rows.append((user, t, "purchase", channel))
                        bought = week if bought is None else bought
                elif rng.random() < 0.02:
                    # A purchase with no cart in this channel (a buy button elsewhere).
                    rows.append((user, t + timedelta(seconds=30), "purchase", channel))
                    bought = week if bought is None else bought
    rng.shuffle(rows)
    return [(user, t.isoformat(timespec="seconds"), event, channel) for user, t, event, channel in rows]


def write(out_dir: Path) -> Path:
    path = out_dir / "events.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["user", "timestamp", "event", "channel"])
        writer.writerows(events())
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    print(write(parser.parse_args().out))
