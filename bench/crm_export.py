"""A CRM export as real ones come: the three files of the public "CRM Sales Opportunities" sample, at any size.

sales_pipeline.csv (opportunity_id, sales_agent, product, account, deal_stage, engage_date, close_date, close_value),
sales_teams.csv (sales_agent, manager, regional_office) and products.csv (product, series, sales_price), with the gaps
the real one has: open deals have no close value, prospecting deals no engage date, about one deal in six no account,
nothing says which segment a deal belongs to, and one product is spelt differently in the pipeline ("GTXPro") than in
the products file ("GTX Pro"), so its open deals find no list price. The benchmark imports them into an empty database
(bench/empty_start.py); the default size is the real sample's (8,800 opportunities, 35 agents).
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import numpy as np

PRODUCTS = (("GTX Basic", "GTX", 550), ("GTX Pro", "GTX", 4821), ("MG Special", "MG", 55),
            ("MG Advanced", "MG", 3393), ("GTX Plus Basic", "GTX", 1096), ("GTX Plus Pro", "GTX", 5482),
            ("GTK 500", "GTK", 26768))
OFFICES = ("Central", "East", "West")
STAGES = ("Won", "Lost", "Engaging", "Prospecting")
STAGE_SHARES = (0.48, 0.29, 0.14, 0.09)
FIRST_DAY = date(2016, 10, 20)
DAYS = 435  # to the end of 2017


def write(folder: Path, *, deals: int = 8_800, agents: int = 35, seed: int = 1) -> dict[str, Path]:
    """Write the three files into `folder`; return their paths by name (pipeline, teams, products)."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    names = [f"Agent {i:03d}" for i in range(1, agents + 1)]
    managers = [f"Manager {i}" for i in range(1, max(2, agents // 6) + 1)]
    paths = {"pipeline": folder / "sales_pipeline.csv", "teams": folder / "sales_teams.csv",
             "products": folder / "products.csv"}
    with paths["teams"].open("w", newline="") as out:
        rows = csv.writer(out)
        rows.writerow(["sales_agent", "manager", "regional_office"])
        for i, name in enumerate(names):
            manager = managers[i % len(managers)]
            rows.writerow([name, manager, OFFICES[managers.index(manager) % len(OFFICES)]])
    with paths["products"].open("w", newline="") as out:
        rows = csv.writer(out)
        rows.writerow(["product", "series", "sales_price"])
        rows.writerows(PRODUCTS)
    accounts = [f"Account {i:02d}" for i in range(1, 86)]
    stage = rng.choice(len(STAGES), size=deals, p=STAGE_SHARES)
    product = rng.integers(0, len(PRODUCTS), size=deals)
    engaged = rng.integers(0, DAYS - 30, size=deals)
    cycle = rng.integers(1, 140, size=deals)
    no_account = rng.random(deals) < 0.16
    with paths["pipeline"].open("w", newline="") as out:
        rows = csv.writer(out)
        rows.writerow(["opportunity_id", "sales_agent", "product", "account", "deal_stage", "engage_date",
                       "close_date", "close_value"])
        for i in range(deals):
            name, series, price = PRODUCTS[product[i]]
            kind = STAGES[stage[i]]
            start = FIRST_DAY + timedelta(days=int(engaged[i]))
            closed = kind in ("Won", "Lost")
            end = min(start + timedelta(days=int(cycle[i])), FIRST_DAY + timedelta(days=DAYS))
            value = round(price * rng.uniform(0.9, 1.1)) if kind == "Won" else (0 if kind == "Lost" else "")
            rows.writerow([f"OP{i:07d}", names[int(rng.integers(0, agents))], name.replace("GTX Pro", "GTXPro"),
                           "" if no_account[i] else accounts[int(rng.integers(0, len(accounts)))], kind,
                           "" if kind == "Prospecting" else start.isoformat(), end.isoformat() if closed else "",
                           value])
    return paths
