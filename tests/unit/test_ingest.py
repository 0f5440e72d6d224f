"""Imports: every class of bad input is refused with its row and column, and the database stays identical."""

from __future__ import annotations

import datetime
import hashlib

import pyarrow as pa
import pytest

from queries import access, db, ingest
from queries.ingest import mapping as mapping_module
from queries.ingest import source as source_module

HEADER = "deal_id,account,owner_rep_id,segment,created_at,stage,amount,close_date"
GOOD = "D1,Acme,R1,SMB,2026-03-01,won,1000,2026-03-20"
GOOD2 = "D2,Beta,R2,Mid-Market,2026-03-02,proposal,2500,"


def csv(*lines: str, newline: str = "\n") -> bytes:
    return (newline.join(lines) + newline).encode("utf-8")


def checksum(con) -> str:
    """Every table's name and sorted rows, hashed: equal before and after means nothing changed."""
    digest = hashlib.sha256()
    with con.cursor() as cur:
        names = [n for (n,) in cur.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY table_name").fetchall()]
        for name in names:
            rows = cur.execute("SELECT * FROM query_table($name)", {"name": name}).fetchall()
            digest.update(name.encode())
            digest.update(repr(sorted(repr(r) for r in rows)).encode())
    return digest.hexdigest()


@pytest.fixture
def con(make_db):
    connection = db.connect(make_db("base.sql", "ingest/deals.sql"))
    yield connection
    connection.close()


def attempt(con, data: bytes, *, name: str = "deals.csv", table: str = "deals", mapping_text: str | None = None,
            mode: str = "insert") -> ingest.ImportRejected:
    """Read, map (suggested unless given) and commit; return the rejection, asserting the database is unchanged."""
    before = checksum(con)
    with pytest.raises(ingest.ImportRejected) as caught:
        chosen = ingest.loads(mapping_text) if mapping_text else None
        source = ingest.read_source(data, name=name, options=chosen.read_options() if chosen else None)
        if chosen is None:
            chosen = ingest.suggest(source.columns, table=table)
        ingest.commit(con, source=source, mapping=chosen, table=table, mode=mode)
    assert checksum(con) == before
    return caught.value


def first(rejection: ingest.ImportRejected) -> dict:
    return rejection.problems[rejection.problems["severity"] == "error"].iloc[0].to_dict()


@pytest.mark.slow
def test_ingest_good_file_commits_and_records_the_batch(con):
    version = db.data_version(con)
    report = ingest.commit(con, source=ingest.read_source(csv(HEADER, GOOD, GOOD2), name="deals.csv"),
                           mapping=ingest.suggest(HEADER.split(","), table="deals"), table="deals",
                           actor=access.Actor("ann", "admin"))
    assert (report.rows, report.inserted, report.updated) == (2, 2, 0)
    rows = con.execute("SELECT deal_id, stage, amount, batch_id FROM deals WHERE deal_id <> 'D0' ORDER BY 1").fetchall()
    assert [(r[0], r[1], float(r[2])) for r in rows] == [("D1", "won", 1000.0), ("D2", "proposal", 2500.0)]
    assert {r[3] for r in rows} == {report.batch_id}
    batch = ingest.history(con).iloc[0]
    assert (batch.batch_id, batch.table_name, batch.source_name, batch.row_count, batch.imported_by, batch.status) == (
        report.batch_id, "deals", "deals.csv", 2, "ann", "committed")
    assert db.data_version(con) == version + 1


@pytest.mark.slow
def test_ingest_empty_file(con):
    rejection = attempt(con, b"")
    assert "row 1, column '1'" in str(rejection) and "empty" in str(rejection)


@pytest.mark.slow
def test_ingest_header_only(con):
    rejection = attempt(con, csv(HEADER))
    assert (first(rejection)["row"], first(rejection)["column"]) == (2, "deal_id")
    assert "no data rows" in str(rejection)


@pytest.mark.slow
def test_ingest_wrong_delimiter(con):
    mapping_text = '[columns]\ndeal_id = "deal_id"\naccount = "account"\n[options]\ndelimiter = ","\n'
    rejection = attempt(con, csv(HEADER.replace(",", ";"), GOOD.replace(",", ";")), mapping_text=mapping_text)
    problem = first(rejection)
    assert (problem["row"], problem["column"], problem["field"]) == (1, "deal_id", "deal_id")
    assert "is the delimiter right?" in problem["problem"]


@pytest.mark.slow
def test_ingest_missing_required_column(con):
    header = HEADER.replace(",stage", "")
    rejection = attempt(con, csv(header, GOOD.replace(",won", "")))
    problem = first(rejection)
    assert (problem["row"], problem["column"]) == (1, "stage")
    assert "required column is not mapped" in problem["problem"]


@pytest.mark.slow
def test_ingest_unknown_columns_are_named_and_ignored(con):
    before = checksum(con)
    source = ingest.read_source(csv(HEADER + ",favourite_colour", GOOD + ",blue"), name="deals.csv")
    report = ingest.validate(con, source=source, mapping=ingest.suggest(source.columns, table="deals"),
                             table="deals")
    warning = report.problems[report.problems["severity"] == "warning"].iloc[0]
    assert (warning["row"], warning["column"]) == (1, "favourite_colour")
    assert "ignored" in warning["problem"] and report.ok
    assert checksum(con) == before


@pytest.mark.slow
def test_ingest_bad_dates(con):
    rejection = attempt(con, csv(HEADER, GOOD, "D2,Beta,R2,SMB,31/02/2026,proposal,2500,"))
    problem = first(rejection)
    assert (problem["row"], problem["column"], problem["value"]) == (3, "created_at", "31/02/2026")
    assert "not a date and time in the format %Y-%m-%d" in problem["problem"]


@pytest.mark.slow
def test_ingest_bad_dates_in_the_chosen_format(con):
    mapping_text = '[options]\ndate_format = "%d/%m/%Y"\n'
    chosen = ingest.loads(mapping_text)
    chosen.columns = ingest.suggest(HEADER.split(","), table="deals").columns
    before = checksum(con)
    source = ingest.read_source(csv(HEADER, "D1,Acme,R1,SMB,01/03/2026,won,1000,13/13/2026"), name="d.csv")
    with pytest.raises(ingest.ImportRejected) as caught:
        ingest.commit(con, source=source, mapping=chosen, table="deals")
    assert "row 2, column 'close_date': not a date in the format %d/%m/%Y" in str(caught.value)
    assert checksum(con) == before


@pytest.mark.slow
def test_ingest_text_in_numbers(con):
    rejection = attempt(con, csv(HEADER, GOOD.replace("1000", "twelve")))
    assert "row 2, column 'amount': not an amount" in str(rejection)


@pytest.mark.slow
def test_ingest_negative_amount(con):
    rejection = attempt(con, csv(HEADER, GOOD, GOOD2.replace("2500", "-5")))
    assert "row 3, column 'amount': out of range: must be at least 0" in str(rejection)


@pytest.mark.slow
def test_ingest_nan_amount(con):
    rejection = attempt(con, csv(HEADER, GOOD.replace("1000", "NaN")))
    assert "row 2, column 'amount': not an amount" in str(rejection)


@pytest.mark.slow
def test_ingest_nan_brand_value_is_not_finite(con):
    rejection = attempt(con, csv("month,metric,region,value", "2026-03-01,consideration,all,NaN"),
                        name="brand.csv", table="brand_metrics")
    assert "row 2, column 'value': not a finite number" in str(rejection)


@pytest.mark.slow
def test_ingest_duplicate_ids_in_file(con):
    rejection = attempt(con, csv(HEADER, GOOD, GOOD2, GOOD.replace("Acme", "Acme again")))
    problem = first(rejection)
    assert (problem["row"], problem["column"], problem["value"]) == (4, "deal_id", "D1")
    assert problem["problem"] == "duplicate id in the file: the same key is on row 2"


@pytest.mark.slow
def test_ingest_duplicate_composite_key_in_file(con):
    rejection = attempt(con, csv("rep_id,month,amount", "R1,2026-03-01,100", "R1,2026-03-15,200"),
                        name="q.csv", table="quotas")
    assert "row 3, column 'rep_id': duplicate id in the file: the same key is on row 2" in str(rejection)


@pytest.mark.slow
def test_ingest_id_already_in_database_in_insert_mode(con):
    rejection = attempt(con, csv(HEADER, GOOD, GOOD.replace("D1", "D0")))
    assert "row 3, column 'deal_id': id already in the database" in str(rejection)


@pytest.mark.slow
def test_ingest_unknown_foreign_key(con):
    rejection = attempt(con, csv(HEADER, GOOD.replace("R1", "R9")))
    problem = first(rejection)
    assert (problem["row"], problem["column"], problem["value"]) == (2, "owner_rep_id", "R9")
    assert "unknown reps id" in problem["problem"]


@pytest.mark.slow
def test_ingest_enumeration_violation(con):
    rejection = attempt(con, csv(HEADER, GOOD.replace("won", "Closed Won")))
    assert "row 2, column 'stage': not an allowed value" in str(rejection)


@pytest.mark.slow
def test_ingest_enumeration_mapped_by_values_section(con):
    chosen = ingest.suggest(HEADER.split(","), table="deals")
    chosen.values = {"stage": {"Closed Won": "won"}}
    source = ingest.read_source(csv(HEADER, GOOD.replace("won", "Closed Won")), name="d.csv")
    ingest.commit(con, source=source, mapping=chosen, table="deals")
    assert con.execute("SELECT stage FROM deals WHERE deal_id = 'D1'").fetchone() == ("won",)


@pytest.mark.slow
def test_ingest_bom_header_is_read(con):
    data = b"\xef\xbb\xbf" + csv(HEADER, GOOD, GOOD.replace("Acme", "Acme again"))
    rejection = attempt(con, data)
    assert "row 3, column 'deal_id': duplicate id" in str(rejection)
    source = ingest.read_source(b"\xef\xbb\xbf" + csv(HEADER, GOOD), name="deals.csv")
    assert source.columns[0] == "deal_id"


@pytest.mark.slow
def test_ingest_crlf(con):
    rejection = attempt(con, csv(HEADER, GOOD, GOOD2.replace("2500", "x"), newline="\r\n"))
    assert "row 3, column 'amount': not an amount" in str(rejection)
    source = ingest.read_source(csv(HEADER, GOOD, newline="\r\n"), name="deals.csv")
    assert source.table.to_pylist()[0]["close_date"] == "2026-03-20"


@pytest.mark.slow
def test_ingest_quoted_newlines_keep_spreadsheet_row_numbers(con):
    rejection = attempt(con, csv(HEADER, 'D1,"Acme\nEast",R1,SMB,2026-03-01,won,1000,2026-03-20',
                                 GOOD2.replace("R2", "R9")))
    assert "row 3, column 'owner_rep_id': unknown reps id" in str(rejection)


PLAIN_FILES = {
    "preamble, blank lines, CRLF, padding, trailing empty columns": (
        "Export of 2026-03\r\n\r\nlead_id,Name,Amount EUR,note,,\r\n"
        "L1,Smith J.,1,say hi,,\r\nL2,,,x,,\r\n\r\nL3,Zoë,3,two,,\r\nL4,  padded  ,4,#N/A,,\r\n"),
    "semicolons and decimal commas": "id;amount;day\nA;1.234,50;01.03.2026\nB;7,5;02.03.2026\n",
    "tabs, no final newline": "id\tname\nA\tx y\nB\t",
}


def _spy_fast_reader(monkeypatch) -> list:
    """Record what Arrow's reader returned for each file read (None: it left the file to DuckDB)."""
    read_fast, results = source_module._read_cells_fast, []
    monkeypatch.setattr(source_module, "_read_cells_fast",
                        lambda path, params: results.append(read_fast(path, params)) or results[-1])
    return results


@pytest.mark.parametrize("case", sorted(PLAIN_FILES))
def test_ingest_fast_reader_reads_what_duckdb_reads(case, monkeypatch):
    """Arrow's reader is tried first on a file without quotes; it must give the same cells as DuckDB's strict read."""
    data = PLAIN_FILES[case].encode("utf-8")
    used = _spy_fast_reader(monkeypatch)
    fast = ingest.read_source(data, name="x.csv")
    assert len(used) == 1 and used[0] is not None  # Arrow read this file itself
    monkeypatch.setattr(source_module, "_read_cells_fast", lambda path, params: None)
    strict = ingest.read_source(data, name="x.csv")
    assert fast.table.to_pylist() == strict.table.to_pylist() and fast.table.num_rows >= 2
    assert (fast.columns, fast.first_row, fast.header_row) == (strict.columns, strict.first_row, strict.header_row)


def test_ingest_a_quote_left_open_is_refused_not_swallowing_rows(monkeypatch):
    """Arrow would read row 3 into row 2's cell; any file with a quote is DuckDB's to read, and it names the row."""
    used = _spy_fast_reader(monkeypatch)
    with pytest.raises(ingest.ImportRejected, match=r"row 2, column 'body': this row does not fit"):
        ingest.read_source(b'id,body\n1,"open\n2,"closed"\n3,x\n', name="notes.csv")
    assert used == []
    assert ingest.read_source(b'id,body\n1,Love the "pro" plan\n', name="n.csv").table.to_pylist() == [
        {"id": "1", "body": 'Love the "pro" plan'}]


def test_ingest_files_the_fast_reader_leaves_to_duckdb_read_as_before(monkeypatch):
    used = _spy_fast_reader(monkeypatch)
    one_column = ingest.read_source(b"a\n1\n\n\n2\n", name="one.csv")  # blank lines are empty rows here
    assert one_column.table.to_pylist() == [{"a": "1"}, {"a": None}, {"a": None}, {"a": "2"}]
    other_delimiter = ingest.read_source(b"a\xa7b\n1\xa72\n", name="x.csv",
                                         options={"delimiter": "\u00a7", "encoding": "latin-1"})
    assert other_delimiter.table.to_pylist() == [{"a": "1", "b": "2"}]
    assert used == [None, None]


@pytest.mark.slow
def test_ingest_mapped_cells_come_in_batches_of_whole_row_groups(monkeypatch):
    # Read in blocks of another size, the cells are re-cut: DuckDB's copy and the table get whole row groups.
    size = mapping_module.ROW_GROUP_ROWS
    ids = [f"D{i}" for i in range(2 * size + 5)]
    read = pa.table({"deal_id": pa.chunked_array([ids[i:i + 100_000] for i in range(0, len(ids), 100_000)])})
    source = source_module.Source("d.csv", read, first_row=2, header_row=1, options={})
    staged, _ = mapping_module.apply(source, ingest.suggest(["deal_id"], table="deals"), table="deals")
    assert [batch.num_rows for batch in staged.to_batches()] == [size, size, 5]
    assert staged["in_deal_id"].to_pylist() == ids
    assert staged["_row"].to_pylist() == list(range(2, len(ids) + 2))
    nothing = source_module.Source("d.csv", read.slice(0, 0), first_row=2, header_row=1, options={})
    empty, _ = mapping_module.apply(nothing, ingest.suggest(["deal_id"], table="deals"), table="deals")
    assert empty.num_rows == 0 and empty.column_names == staged.column_names
    # A column too large to be one Arrow array keeps the chunks it was read in: the same cells.
    monkeypatch.setattr(mapping_module, "COMBINE_MAX_BYTES", 0)
    chunked, _ = mapping_module.apply(source, ingest.suggest(["deal_id"], table="deals"), table="deals")
    assert chunked["in_deal_id"].to_pylist() == ids and chunked["_row"].to_pylist() == staged["_row"].to_pylist()


@pytest.mark.slow
def test_ingest_fast_reader_leaves_a_ragged_or_long_row_to_duckdb(tmp_path):
    params = {"delim": ",", "skip": 0, "columns": {"c0": "VARCHAR", "c1": "VARCHAR"}}
    ragged, long = tmp_path / "ragged.csv", tmp_path / "long.csv"
    ragged.write_text("a,b\n1,2\n3,4,5\n")
    long.write_text("a,b\n1," + "x" * (2 * source_module._FAST_BLOCK_BYTES) + "\n")
    assert source_module._read_cells_fast(ragged, params) is None
    assert source_module._read_cells_fast(long, params) is None
    assert source_module._read_cells_fast(tmp_path.joinpath("fine.csv"), params) is None  # no such file
    fine = tmp_path / "ok.csv"
    fine.write_text("a,b\n1,\n")
    assert source_module._read_cells_fast(fine, params).to_pylist() == [{"c0": "a", "c1": "b"}, {"c0": "1", "c1": None}]


@pytest.mark.slow
def test_ingest_ten_megabyte_field(con):
    rejection = attempt(con, csv(HEADER, GOOD.replace("Acme", "x" * 10_000_000)))
    problem = first(rejection)
    assert (problem["row"], problem["column"]) == (2, "account")
    assert "the cell has 10,000,000 characters" in problem["problem"]


@pytest.mark.slow
def test_ingest_field_limit_counts_characters_not_bytes(con, monkeypatch):
    # Columns whose every cell is within the limit in bytes skip the character count; others are counted.
    monkeypatch.setattr(ingest.core, "MAX_FIELD_CHARS", 10)
    accepted = ingest.read_source(csv(HEADER, GOOD.replace("Acme", "é" * 10)), name="deals.csv")  # 20 bytes
    report = ingest.validate(con, source=accepted, mapping=ingest.suggest(HEADER.split(","), table="deals"),
                             table="deals")
    assert report.ok
    problem = first(attempt(con, csv(HEADER, GOOD, GOOD2.replace("Beta", "é" * 11))))
    assert (problem["row"], problem["column"]) == (3, "account")
    assert "the cell has 11 characters; at most 10 are allowed" in problem["problem"]


@pytest.mark.slow
def test_ingest_non_utf8_bytes(con):
    data = csv(HEADER, GOOD) + "D2,Café,R2,SMB,2026-03-02,proposal,2500,\n".encode("latin-1")
    rejection = attempt(con, data)
    problem = first(rejection)
    assert (problem["row"], problem["column"]) == (3, "account")
    assert "is not utf-8 text" in problem["problem"]


def test_ingest_non_utf8_reads_with_encoding_option(con):
    data = csv(HEADER) + "D2,Café,R2,SMB,2026-03-02,proposal,2500,\n".encode("latin-1")
    source = ingest.read_source(data, name="deals.csv", options={"encoding": "latin-1"})
    assert source.table.to_pylist()[0]["account"] == "Café"


@pytest.mark.slow
def test_ingest_binary_garbage_named_csv(con):
    rejection = attempt(con, b"PK\x03\x04" + bytes(range(256)) * 40)
    assert "row 1, column '1'" in str(rejection) and "binary data" in str(rejection)


@pytest.mark.slow
def test_ingest_file_over_the_size_limit(con, monkeypatch):
    monkeypatch.setenv("TANDEM_IMPORT_MAX_BYTES", "200")
    rejection = attempt(con, csv(HEADER, *[GOOD.replace("D1", f"D{i}") for i in range(10, 20)]))
    problem = first(rejection)
    assert problem["row"] == 4 and problem["column"] == "1"
    assert "goes past the limit of 200 bytes from row 4 on" in problem["problem"]


@pytest.mark.slow
def test_ingest_file_over_the_row_limit(con, monkeypatch):
    monkeypatch.setenv("TANDEM_IMPORT_MAX_ROWS", "2")
    rejection = attempt(con, csv(HEADER, GOOD, GOOD2, GOOD.replace("D1", "D3")))
    assert "row 4, column 'deal_id'" in str(rejection) and "limit is 2" in str(rejection)


@pytest.mark.slow
def test_ingest_row_that_does_not_fit_the_header(con):
    rejection = attempt(con, csv(HEADER, GOOD, GOOD2 + ",extra,cells"))
    assert "row 3, column 'close_date': this row does not fit the header of 8 columns (too many columns)" in str(
        rejection)


@pytest.mark.slow
def test_ingest_cross_column_rule(con):
    rejection = attempt(con, csv(HEADER, GOOD.replace("2026-03-20", "2026-02-01")))
    assert "row 2, column 'close_date': the close date is before the deal was created" in str(rejection)


@pytest.mark.slow
def test_ingest_upsert_refused_for_a_table_without_id(con):
    rejection = attempt(con, csv("lead_id,campaign_id,touched_at", "L1,C1,2026-03-03 10:00:00"), name="t.csv",
                        table="touches", mode="upsert")
    assert "upsert cannot find existing rows" in str(rejection)


@pytest.mark.slow
def test_ingest_xlsx_and_parquet_read_like_csv(tmp_path):
    import pandas as pd

    frame = pd.DataFrame({"deal_id": ["D1"], "amount": ["1000"]})
    frame.to_excel(tmp_path / "d.xlsx", index=False)
    frame.to_parquet(tmp_path / "d.parquet")
    for name in ("d.xlsx", "d.parquet"):
        source = ingest.read_source((tmp_path / name).read_bytes(), name=name)
        assert source.columns == ["deal_id", "amount"] and source.table.to_pylist() == [
            {"deal_id": "D1", "amount": "1000"}]


@pytest.mark.slow
def test_ingest_xlsx_rows_are_numbered_as_the_sheet_shows(tmp_path, con):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Exported from CRM"])
    sheet.append([])
    for row in (HEADER.split(","), GOOD.split(","), GOOD2.replace("R2", "R9").split(",")):
        sheet.append(row)
    book.save(tmp_path / "deals.xlsx")
    rejection = attempt(con, (tmp_path / "deals.xlsx").read_bytes(), name="deals.xlsx")
    assert "row 5, column 'owner_rep_id': unknown reps id" in str(rejection)


def test_ingest_mapping_toml_round_trip():
    text = (
        '[columns]\ndeal_id = "Opportunity ID"\n"stage" = "Deal Stage"\n\n[values.stage]\n"Closed Won" = "won"\n'
        '"Closed Lost" = "lost"\n\n[defaults]\nsegment = "SMB"\n\n[options]\ndate_format = "%d/%m/%Y"\n'
        'delimiter = ";"\ndecimal = ","\nsheet = "Deals"\n'
    )
    mapping = ingest.loads(text)
    assert mapping.columns == {"deal_id": "Opportunity ID", "stage": "Deal Stage"}
    assert mapping.values == {"stage": {"Closed Won": "won", "Closed Lost": "lost"}}
    assert mapping.defaults == {"segment": "SMB"}
    assert mapping.options == {"date_format": "%d/%m/%Y", "delimiter": ";", "decimal": ",", "sheet": "Deals"}
    assert ingest.loads(ingest.dumps(mapping)) == mapping


def test_ingest_mapping_rejects_unknown_sections():
    with pytest.raises(db.TandemError, match="unknown sections: colums"):
        ingest.loads('[colums]\nx = "y"\n')


def test_ingest_suggest_pairs_columns_by_name_similarity():
    mapping = ingest.suggest(["Opportunity ID", "Account Name", "Owner", "Deal Stage", "Amount", "Close Date",
                              "Created Date", "Segment"], table="deals")
    assert mapping.columns == {"deal_id": "Opportunity ID", "account": "Account Name", "owner_rep_id": "Owner",
                               "segment": "Segment", "created_at": "Created Date", "close_date": "Close Date",
                               "stage": "Deal Stage", "amount": "Amount"}


def test_ingest_suggest_values_for_a_vocabulary():
    suggested = ingest.suggest_values(["Closed Won", "Closed Lost", "Proposal Sent", "won", "Banana"],
                                              ("prospecting", "qualification", "proposal", "negotiation", "won",
                                               "lost"))
    assert suggested == {"Closed Won": "won", "Closed Lost": "lost", "Proposal Sent": "proposal"}


def test_ingest_detects_day_first_dates():
    row = GOOD.replace("2026-03-01", "25/03/2026").replace("2026-03-20", "28/03/2026")
    source = ingest.read_source(csv(HEADER, row), name="d.csv")
    ranked = ingest.detect_date_format(source, ingest.suggest(source.columns, table="deals"), table="deals")
    assert ranked[0] == ("%d/%m/%Y", 2)


@pytest.mark.parametrize("date_format", ingest.core.DATE_FORMATS)
def test_ingest_detects_each_candidate_format_with_or_without_a_time(date_format):
    # Every cell in the format, with a day past 12 and each way of writing the time: each is counted for it.
    suffixes = ("", " %H:%M:%S", " %H:%M", "T%H:%M:%S", " %I:%M %p")
    cells = [datetime.datetime(2026, 3, 25, 14, 5, 9).strftime(date_format + suffix) for suffix in suffixes]
    rows = [GOOD.replace("2026-03-01", cell).replace("2026-03-20", "") for cell in cells]
    source = ingest.read_source(csv(HEADER, *rows), name="d.csv")
    ranked = dict(ingest.detect_date_format(source, ingest.suggest(source.columns, table="deals"), table="deals"))
    assert ranked[date_format] == len(cells)


def test_ingest_detects_month_names_between_tabs_or_line_breaks():
    # A space in a format matches any whitespace in DuckDB: such cells count for the space-separated formats.
    rows = [GOOD.replace("2026-03-01", "25\tMarch\t2026").replace("2026-03-20", ""),
            GOOD.replace("D1", "D2").replace("2026-03-01", '"26\nMarch\n2026"').replace("2026-03-20", "")]
    source = ingest.read_source(csv(HEADER, *rows), name="d.csv")
    assert source.options["delimiter"] == ","
    ranked = dict(ingest.detect_date_format(source, ingest.suggest(source.columns, table="deals"), table="deals"))
    assert ranked["%d %B %Y"] == 2


@pytest.mark.slow
def test_ingest_decimal_comma_and_thousands(con):
    chosen = ingest.suggest(HEADER.split(","), table="deals")
    chosen.options = {"decimal": ",", "delimiter": ";"}
    source = ingest.read_source(csv(HEADER.replace(",", ";"), GOOD.replace(",", ";").replace("1000", "1.234,50")),
                                name="d.csv", options=chosen.read_options())
    ingest.commit(con, source=source, mapping=chosen, table="deals")
    assert float(con.execute("SELECT amount FROM deals WHERE deal_id = 'D1'").fetchone()[0]) == 1234.5


@pytest.mark.slow
def test_ingest_commit_and_undo_refuse_non_admins(con):
    before = con.execute("SELECT count(*) FROM deals").fetchone()
    source = ingest.read_source(csv(HEADER, GOOD), name="deals.csv")
    for role in ("viewer", "member"):
        with pytest.raises(access.PermissionDenied, match="may not import data"):
            ingest.commit(con, source=source, mapping=ingest.suggest(HEADER.split(","), table="deals"),
                          table="deals", actor=access.Actor("bob@example.com", role))
    assert con.execute("SELECT count(*) FROM deals").fetchone() == before
    report = ingest.commit(con, source=source, mapping=ingest.suggest(HEADER.split(","), table="deals"),
                           table="deals")
    with pytest.raises(access.PermissionDenied, match="may not undo imports"):
        ingest.undo(con, batch_id=report.batch_id, actor=access.Actor("bob@example.com", "member"))
    assert ingest.history(con).iloc[0].status == "committed"


def deal_rows(count: int, created) -> list[str]:
    """`count` valid deal rows D1… whose created_at is created(i) and close date empty."""
    return [f"D{i},Acme,R{1 + i % 2},SMB,{created(i)},proposal,{100 + i}," for i in range(1, count + 1)]


def test_ingest_date_format_is_detected_from_a_spread_sample():
    # The first 600 rows fit both day-first and month-first; only the later ones tell them apart.
    rows = deal_rows(1200, lambda i: f"{1 + i % 12:02d}/{1 + i % 12:02d}/2026" if i <= 600 else
                     f"{13 + i % 15}/{1 + i % 12:02d}/2026")
    source = ingest.read_source(csv(HEADER, *rows), name="d.csv")
    ranked = dict(ingest.detect_date_format(source, ingest.suggest(source.columns, table="deals"), table="deals"))
    assert ranked["%d/%m/%Y"] == 500  # every sampled cell
    assert 0 < ranked["%m/%d/%Y"] < 500


@pytest.mark.slow
def test_ingest_date_format_detected_from_a_sample_still_flags_a_bad_date_in_any_row(con):
    rows = deal_rows(3000, lambda i: f"{1 + i % 28:02d}/{1 + i % 12:02d}/2026")
    rows[2468] = rows[2468].replace(rows[2468].split(",")[4], "30/02/2026")  # file row 2470
    source = ingest.read_source(csv(HEADER, *rows), name="d.csv")
    chosen = ingest.suggest(source.columns, table="deals")
    chosen.options["date_format"] = ingest.detect_date_format(source, chosen, table="deals")[0][0]
    report = ingest.validate(con, source=source, mapping=chosen, table="deals")
    assert chosen.options["date_format"] == "%d/%m/%Y"
    assert report.errors[["row", "column", "value"]].values.tolist() == [[2470, "created_at", "30/02/2026"]]
    assert "not a date and time in the format %d/%m/%Y" in report.errors.iloc[0]["problem"]


@pytest.mark.slow
def test_ingest_every_bad_cell_is_named_with_its_value(con):
    rejection = attempt(con, csv(HEADER, GOOD.replace("won", "Won!").replace("1000", "-5"), GOOD2,
                                 GOOD2.replace("D2", "D3").replace("2026-03-02", "yesterday")))
    errors = rejection.problems[rejection.problems["severity"] == "error"]
    assert errors[["row", "column", "value"]].values.tolist() == [
        [2, "stage", "Won!"], [2, "amount", "-5"], [4, "created_at", "yesterday"]]


@pytest.mark.slow
def test_ingest_writes_every_row_whatever_the_key_order_and_slice_size(con, monkeypatch):
    from queries.ingest import core

    monkeypatch.setattr(core, "INSERT_SLICE_ROWS", 2)
    rows = deal_rows(7, lambda i: "2026-03-01")[::-1]  # keys in reverse file order, slices of 2
    messages = []
    report = ingest.commit(con, source=ingest.read_source(csv(HEADER, *rows), name="d.csv"),
                           mapping=ingest.suggest(HEADER.split(","), table="deals"), table="deals",
                           progress=lambda fraction, text: messages.append(text))
    found = con.execute("SELECT deal_id, amount FROM deals WHERE batch_id = $b ORDER BY deal_id",
                        {"b": report.batch_id}).fetchall()
    assert [(d, float(a)) for d, a in found] == [(f"D{i}", 100.0 + i) for i in range(1, 8)]
    assert [m for m in messages if m.startswith("Writing")] == [
        "Writing rows 1–2 of 7", "Writing rows 3–4 of 7", "Writing rows 5–6 of 7", "Writing rows 7–7 of 7"]


@pytest.mark.slow
def test_ingest_a_required_column_with_no_source_is_named_once_not_on_every_row(con):
    header = HEADER.replace(",stage", "")
    rejection = attempt(con, csv(header, *[row.replace(",won", "").replace(",proposal", "") for row in (GOOD, GOOD2)]))
    errors = rejection.problems[rejection.problems["severity"] == "error"]
    assert errors[errors["field"] == "stage"][["row", "column", "problem"]].values.tolist() == [
        [1, "stage", "required column is not mapped and has no default; map a file column to it or set a constant in "
                     "[defaults]"]]


@pytest.mark.slow
def test_ingest_problem_tally_by_column_and_kind(con):
    rows = [GOOD.replace("D1", f"D{i}").replace("2026-03-01", "soon") for i in range(1, 5)]
    rows += [GOOD2.replace("D2", f"E{i}").replace("R2", "R9").replace("2500", "lots") for i in range(1, 3)]
    rejection = attempt(con, csv(HEADER, *rows, GOOD.replace("D1", "D0")))
    tally = ingest.tally(rejection.problems)
    assert [(r.field, r.column, r.kind, r.count, r.first_row, r.example) for r in tally.itertuples()] == [
        ("created_at", "created_at", "not a date", 4, 2, "soon"),
        ("owner_rep_id", "owner_rep_id", "unknown rep", 2, 6, "R9"),
        ("amount", "amount", "not a number", 2, 6, "lots"),
        ("deal_id", "deal_id", "already in the database", 1, 8, "D0")]


@pytest.mark.parametrize(("message", "kind"), [
    ("required: the cell is empty", "empty"),
    ("not an amount (a number with at most 2 decimals)", "not a number"),
    ("not a whole number", "not a whole number"),
    ("not a date and time in the format %Y-%m-%d", "not a date"),
    ("unknown campaigns id: no row in campaigns has it (import campaigns first)", "unknown campaign"),
    ("duplicate id in the file: the same key is on row 2", "duplicate id"),
    ("the cell has 10,000,000 characters; at most 100,000 are allowed", "too long"),
    ("a won or lost deal needs a close date", "a won or lost deal needs a close date"),
    ("products.csv has no column 'sku' (the key of join 'products'); its columns: a, b", "no such column"),
])
def test_ingest_problem_kinds(message, kind):
    assert ingest.problems.kind(message) == kind
