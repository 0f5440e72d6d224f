"""Several files make one table: a second file joined on a key fills what the imported file leaves empty, never
guesses a row it does not list, and refuses repeated keys naming its file, row and column."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from queries import db, ingest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
PRODUCTS = "product,series,sales_price\nGTX Basic,GTX,550\nMG Special,MG,55\n"
DEALS = "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value"
JOINED = ('[columns]\ndeal_id = "opportunity_id"\nowner_rep_id = "sales_agent"\nproduct = "product"\n'
          'account = "account"\nstage = "deal_stage"\ncreated_at = "engage_date"\nclose_date = "close_date"\n'
          'amount = ["close_value", "products.sales_price"]\n[values.stage]\nEngaging = "qualification"\n'
          '[defaults]\nsegment = "SMB"\n[joins.products]\nfile = "products.csv"\non = { product = "product" }\n')


def plain(values) -> list:
    """Preview cells as plain values: None for an empty cell, floats for amounts, "YYYY-MM-DD" for dates."""
    import pandas as pd

    def one(v):
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return None
        if hasattr(v, "strftime"):
            return v.strftime("%Y-%m-%d")
        return v if isinstance(v, str) else float(v)

    return [one(v) for v in values]


def csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def checksum(con) -> str:
    """Every table's name and sorted rows, hashed: equal before and after means nothing changed."""
    digest = hashlib.sha256()
    with con.cursor() as cur:
        names = [n for (n,) in cur.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY table_name").fetchall()]
        for name in names:
            digest.update(name.encode())
            digest.update(repr(sorted(repr(r) for r in cur.execute("SELECT * FROM query_table($name)",
                                                                     {"name": name}).fetchall())).encode())
    return digest.hexdigest()


@pytest.fixture
def con(make_db):
    connection = db.connect(make_db("base.sql"))
    yield connection
    connection.close()


def joined(data: bytes, products: str = PRODUCTS, mapping_text: str = JOINED) -> tuple[ingest.Source, ingest.Mapping]:
    chosen = ingest.loads(mapping_text)
    other = ingest.joins.read(products.encode(), name="products.csv", join=chosen.joins["products"])
    return ingest.combine(ingest.read_source(data, name="deals.csv"), chosen.joins, {"products": other}), chosen


@pytest.mark.slow
def test_joins_fill_only_empty_cells_and_commit(con):
    data = csv(DEALS, "D1,R1,GTX Basic,Acme,Won,2026-03-01,2026-03-20,1000",
               "D2,R2,GTX Basic,Beta,Engaging,2026-03-02,,", "D3,R1, MG Special ,Gamma,Lost,2026-03-03,2026-03-09,0")
    source, chosen = joined(data)
    report = ingest.commit(con, source=source, mapping=chosen, table="deals")
    rows = con.execute("SELECT deal_id, stage, amount FROM deals WHERE batch_id = $b ORDER BY deal_id",
                       {"b": report.batch_id}).fetchall()
    # D1 keeps its own 1000 (not the list price 550), D2 has none and takes 550, D3 keeps its 0 (a value, not empty).
    assert [(d, s, float(a)) for d, s, a in rows] == [("D1", "won", 1000.0), ("D2", "qualification", 550.0),
                                                       ("D3", "lost", 0.0)]
    assert ingest.undo(con, batch_id=report.batch_id)["deleted"] == 3


@pytest.mark.slow
def test_joins_a_key_the_second_file_does_not_list_leaves_the_cell_empty(con):
    # "GTXPro" is not "GTX Pro": nothing is guessed. The padded " MG Special " is trimmed and matches.
    data = csv(DEALS, "D1,R1,GTXPro,Acme,Engaging,2026-03-01,,", "D2,R2, MG Special ,Beta,Engaging,2026-03-02,,",
               "D3,R1,,Gamma,Engaging,2026-03-03,,")
    source, chosen = joined(data, products=PRODUCTS + "GTX Pro,GTX,4821\n")
    assert source.table["products.sales_price"].to_pylist() == [None, "55", None]
    report = ingest.validate(con, source=source, mapping=chosen, table="deals")
    assert plain(report.preview["amount"]) == [None, 55.0, None]
    notes = report.problems[report.problems["severity"] == "warning"]
    assert [(n.row, n.column, n.problem) for n in notes.itertuples()] == [
        (2, "product", "1 row with a product that products.csv does not list (e.g. 'GTXPro': 1 row): nothing is "
                       "taken from products.csv for them"),
        (4, "product", "1 row without a product: nothing is taken from products.csv for them")]
    # Amount has no other source for D1 and D3: whatever the table requires of an empty amount, nothing filled it.
    assert set(report.errors[report.errors["field"] == "amount"]["row"]) <= {2, 4}


@pytest.mark.slow
def test_joins_duplicate_key_in_the_second_file_names_its_file_row_and_column(con):
    before = checksum(con)
    with pytest.raises(ingest.ImportRejected) as caught:
        joined(csv(DEALS, "D1,R1,GTX Basic,Acme,Engaging,2026-03-01,,"),
               products=PRODUCTS + "Other,X,1\n GTX Basic ,GTX,999\n")
    problems = caught.value.problems
    assert problems[["file", "row", "column", "value", "problem"]].values.tolist() == [
        ["products.csv", 5, "product", "GTX Basic",
         "duplicate key: the same product is on row 2; a second file needs one row per key"]]
    assert str(caught.value).startswith("products.csv, row 5, column 'product': duplicate key")
    assert checksum(con) == before


def test_joins_a_missing_key_column_is_named_in_either_file():
    with pytest.raises(ingest.ImportRejected) as caught:
        joined(csv(DEALS.replace("product,", "item,"), "D1,R1,GTX Basic,Acme,Engaging,2026-03-01,,"),
               products=PRODUCTS.replace("product,", "name,"))
    assert caught.value.problems[["file", "row", "column"]].values.tolist() == [
        ["", 1, "product"], ["products.csv", 1, "product"]]
    assert "the file has no column 'product' (the key of join 'products')" in caught.value.problems["problem"][0]


def test_joins_an_unreadable_second_file_is_named():
    chosen = ingest.loads(JOINED)
    with pytest.raises(ingest.ImportRejected) as caught:
        ingest.joins.read(b"product,series,sales_price\n", name="products.csv", join=chosen.joins["products"])
    assert caught.value.problems[["file", "row", "column"]].values.tolist() == [["products.csv", 2, "product"]]


def test_joins_on_a_key_of_two_columns(con):
    mapping_text = ('[columns]\nrep_id = "rep"\nname = "rep"\nregion = "t.region"\nteam = "team"\n'
                    '[joins.t]\non = { team = "team", country = "country" }\n')
    chosen = ingest.loads(mapping_text)
    teams = ingest.read_source(b"team,country,region\nNorth,DE,EMEA\nNorth,US,NA\n", name="teams.csv")
    reps = ingest.read_source(b"rep,team,country\nZ1,North,US\nZ2,North,DE\nZ3,North,FR\n", name="reps.csv")
    source = ingest.combine(reps, chosen.joins, {"t": teams})
    assert source.table["t.region"].to_pylist() == ["NA", "EMEA", None]


@pytest.mark.slow
def test_joins_a_second_file_not_given_is_a_problem_not_a_silent_gap(con):
    chosen = ingest.loads(JOINED)
    source = ingest.read_source(csv(DEALS, "D1,R1,GTX Basic,Acme,Engaging,2026-03-01,,"), name="deals.csv")
    report = ingest.validate(con, source=source, mapping=chosen, table="deals")
    problem = report.errors.iloc[0]
    assert (problem["row"], problem["column"], problem["field"]) == (1, "products.sales_price", "amount")
    assert problem["problem"] == ("the second file of join 'products' was not given (upload it, or name it with "
                                  "--join products=FILE)")


def test_joins_a_list_takes_the_first_source_with_a_value_after_placeholders_and_values():
    # Pipedrive's way: the status (won, lost) first; an open deal's status maps to empty, so its stage is used.
    chosen = ingest.loads('[columns]\nstage = ["Status", "Stage"]\n[values.stage]\nopen = ""\n'
                          '"Proposal Made" = "proposal"\n[options]\nnull_values = ["-"]\n')
    source = ingest.read_source(b"Status,Stage\nWon,Proposal Made\nopen,Proposal Made\n-,Proposal Made\n,x\n",
                                name="d.csv")
    staged, _ = ingest.mapping.apply(source, chosen, table="deals")
    assert staged["in_stage"].to_pylist() == ["Won", "proposal", "proposal", "x"]


def test_joins_mapping_format_round_trip_and_refusals():
    chosen = ingest.loads(JOINED)
    assert chosen.joins == {"products": ingest.Join(on={"product": "product"}, file="products.csv")}
    assert chosen.columns["amount"] == ["close_value", "products.sales_price"]
    assert ingest.loads(ingest.dumps(chosen)) == chosen
    with_options = ingest.loads('[joins.t]\nfile = "t.csv"\non = { a = "b" }\ndelimiter = ";"\n')
    assert with_options.joins["t"].options == {"delimiter": ";"}
    assert ingest.loads(ingest.dumps(with_options)) == with_options
    for text, message in [
        ('[joins.t]\nfile = "t.csv"\n', "needs on ="),
        ('[joins.t]\non = { a = "b" }\nkey = "a"\n', "unknown keys: key"),
        ('[joins."2t"]\non = { a = "b" }\n', "letters, digits and underscores"),
        ('[columns]\namount = []\n', "a list of them"),
        ('[columns]\namount = 3\n', "a list of them"),
    ]:
        with pytest.raises(db.TandemError, match=message):
            ingest.loads(text)


@pytest.mark.slow
def test_joins_the_crm_sample_with_its_ready_mappings(make_db):
    """The CRM sample's three files: reps from the teams file, then deals with open deals priced from the products
    file. The fixture has the sample's headers and quirks: open deals without close_value, a Prospecting deal
    without engage_date, a deal without account, a product spelled unlike the products file."""
    con = db.connect(make_db("base.sql"))
    try:
        reps_mapping = ingest.loads((ROOT / "sample_data/mappings/crm_sample_reps.toml").read_text())
        teams = ingest.read_source((FIXTURES / "crm_sales_teams.csv").read_bytes(), name="sales_teams.csv")
        reps = ingest.commit(con, source=teams, mapping=reps_mapping, table="reps")
        assert con.execute("SELECT rep_id, name, team, region, manager FROM reps WHERE batch_id = $b ORDER BY 1",
                           {"b": reps.batch_id}).fetchall() == [
            ("Darcel Schlecht", "Darcel Schlecht", "Melvin Marxen", "Central", "Melvin Marxen"),
            ("Moses Frase", "Moses Frase", "Dustin Brinkmann", "Central", "Dustin Brinkmann"),
            ("Wilburn Farren", "Wilburn Farren", "Cara Losch", "East", "Cara Losch"),
            ("Zane Levy", "Zane Levy", "Summer Sewald", "West", "Summer Sewald")]
        chosen = ingest.loads((ROOT / "sample_data/mappings/crm_sample_deals.toml").read_text())
        products = ingest.joins.read((FIXTURES / "crm_products.csv").read_bytes(), name="products.csv",
                                     join=chosen.joins["products"])
        pipeline = ingest.read_source((FIXTURES / "crm_sales_pipeline.csv").read_bytes(), name="sales_pipeline.csv")
        source = ingest.combine(pipeline, chosen.joins, {"products": products})
        report = ingest.validate(con, source=source, mapping=chosen, table="deals")
        preview = report.preview
        assert list(preview["deal_id"]) == ["1C1I7A6R", "Z063OYW0", "EC4QE1BX", "MV1LWRNH", "PE84CX4O", "ZZY4516S",
                                            "UP409DSB"]
        assert list(preview["stage"]) == ["won", "won", "qualification", "prospecting", "lost", "qualification",
                                          "qualification"]
        assert plain(preview["amount"]) == [1054.0, 4514.0, 55.0, 550.0, 0.0, 3393.0, None]
        assert plain(preview["created_at"]) == [
            "2016-10-20", "2016-10-25", "2016-10-25", None, "2016-10-25", "2016-10-29", "2017-01-02"]
        assert plain(preview["account"]) == ["Cancity", "Isdom", "Cancity", "Codehow", "Sunnamplex", None, "Konex"]
        # Every owner is a known rep now. What is left are the unknowns the sample has (no segment column, a deal
        # without account, one without engage_date, one unpriced): problems only while the table requires them.
        kinds = set(zip(report.errors["field"], report.errors["problem"].map(ingest.problems.kind), strict=True))
        assert kinds <= {("segment", "not mapped"), ("account", "empty"), ("created_at", "empty"),
                         ("amount", "empty")}
    finally:
        con.close()


@pytest.mark.slow
def test_joins_the_documented_reps_and_teams_example(con):
    """docs/IMPORT.md's example, as written there: each rep's region from its team in a teams file."""
    text = (ROOT / "docs" / "IMPORT.md").read_text()
    block = next(b for b in text.split("```toml")[1:] if "[joins.teams]" in b).split("```")[0]
    chosen = ingest.loads(block)
    teams = ingest.joins.read(b"team,region\nNorth,EMEA\nSouth,LATAM\n", name="teams.csv", join=chosen.joins["teams"])
    reps = ingest.read_source(b"Rep ID,Name,Team\nZ1,Zoe Ng,North\nZ2,Yan Li,South\nZ3,Xu Wu,North\n", name="reps.csv")
    report = ingest.commit(con, source=ingest.combine(reps, chosen.joins, {"teams": teams}), mapping=chosen,
                           table="reps")
    assert con.execute("SELECT rep_id, team, region FROM reps WHERE batch_id = $b ORDER BY 1",
                       {"b": report.batch_id}).fetchall() == [("Z1", "North", "EMEA"), ("Z2", "South", "LATAM"),
                                                              ("Z3", "North", "EMEA")]
