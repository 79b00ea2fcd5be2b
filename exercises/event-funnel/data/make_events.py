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
USERS = 260
WEEKS = 6
START = datetime(2024, 10, 7)  # a Monday; the log covers six whole weeks from it
CHANNELS = ("video", "shop_page", "live")
CHANNEL_WEIGHTS = (0.6, 0.25, 0.15)
# Chance, per session in a channel, of adding to cart after viewing, and of buying after that.
P_CART = {"video": 0.25, "shop_page": 0.45, "live": 0.35}
P_BUY = {"video": 0.45, "shop_page": 0.55, "live": 0.60}


def _at(week: int, rng: random.Random) -> datetime:
    return START + timedelta(weeks=week, days=rng.randrange(7), hours=rng.randrange(8, 23),
                             minutes=rng.randrange(60))


def events(seed: int = SEED) -> list[tuple[str, str, str, str]]:
    """(user, timestamp, event, channel) rows, shuffled as a log collected from many servers is."""
    rng = random.Random(seed)
    rows = []
    for n in range(1, USERS + 1):
        user = f"u{n:04d}"
        first_week = rng.choices(range(WEEKS), weights=(6, 5, 4, 3, 2, 1))[0]
        keen = rng.random()  # how likely this user is to come back in a later week
        for week in range(first_week, WEEKS):
            # Fewer users come back each week that passes; keen users more often.
            if week > first_week and rng.random() > (0.4 + 0.6 * keen) * 0.85 ** (week - first_week):
                continue
            for _ in range(rng.randrange(1, 5)):  # sessions this week
                channel = rng.choices(CHANNELS, weights=CHANNEL_WEIGHTS)[0]
                t = _at(week, rng)
                for _ in range(rng.randrange(1, 4)):  # a session may view several times
                    rows.append((user, t, "view", channel))
                    t += timedelta(seconds=rng.randrange(5, 90))
                if rng.random() < P_CART[channel]:
                    t += timedelta(seconds=rng.randrange(10, 300))
                    # Now and then a client clock runs behind, and the cart is logged
                    # before the view that led to it.
                    skew = timedelta(minutes=10) if rng.random() < 0.05 else timedelta(0)
                    rows.append((user, t - skew, "add_to_cart", channel))
                    if rng.random() < P_BUY[channel]:
                        t += timedelta(seconds=rng.randrange(20, 600))
                        rows.append((user, t, "purchase", channel))
                elif rng.random() < 0.02:
                    # A purchase with no cart in this channel (a buy button elsewhere).
                    rows.append((user, t + timedelta(seconds=30), "purchase", channel))
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
