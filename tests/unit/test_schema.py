"""The schema rejects rows that break its constraints."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

BAD_ROWS = {
    "objective outside brand/demand": "INSERT INTO campaigns VALUES ('C9','x','search','awareness',NULL,NULL,NULL,NULL,"
                                      "'2026-01-01','2026-01-31',1,NULL,'t')",
    "campaign ending before it starts": "INSERT INTO campaigns VALUES ('C9','x','search','brand',NULL,NULL,NULL,NULL,"
                                        "'2026-02-01','2026-01-31',1,NULL,'t')",
    "negative budget": "INSERT INTO campaigns VALUES ('C9','x','search','brand',NULL,NULL,NULL,NULL,"
                       "'2026-01-01','2026-01-31',-5,NULL,'t')",
    "duplicate rep id": "INSERT INTO reps VALUES ('R1','Again','EMEA','EMEA',NULL,TRUE,'t')",
    "rep without a name": "INSERT INTO reps VALUES ('R9',NULL,'EMEA','EMEA',NULL,TRUE,'t')",
    "spend for an unknown campaign": "INSERT INTO campaign_spend VALUES ('NOPE','2026-03-01',1,0,0,0,'t')",
    "negative spend": "INSERT INTO campaign_spend VALUES ('C1','2026-03-01',-1,0,0,0,'t')",
    "brand month not on the 1st": "INSERT INTO brand_metrics VALUES ('2026-03-02','aided_awareness','all',1,NULL,'t')",
    "unknown brand metric": "INSERT INTO brand_metrics VALUES ('2026-03-01','vibes','all',1,NULL,'t')",
    "NaN brand value": "INSERT INTO brand_metrics VALUES ('2026-03-01','web_visits','all','NaN'::DOUBLE,NULL,'t')",
    "MQL before creation": "INSERT INTO leads (lead_id, created_at, channel, region, segment, mql_at) "
                           "VALUES ('L1','2026-03-05','search','NA','SMB','2026-03-01')",
    "SAL without MQL": "INSERT INTO leads (lead_id, created_at, channel, region, segment, sal_at) "
                       "VALUES ('L1','2026-03-05','search','NA','SMB','2026-03-06')",
    "unknown deal stage": "INSERT INTO deals (deal_id, account, owner_rep_id, segment, created_at, stage, amount) "
                          "VALUES ('D1','Acme','R1','SMB','2026-03-01','closed',10)",
    "won deal without close date": "INSERT INTO deals (deal_id, account, owner_rep_id, segment, created_at, stage, "
                                   "amount) VALUES ('D1','Acme','R1','SMB','2026-03-01','won',10)",
    "deal closing before creation": "INSERT INTO deals (deal_id, account, owner_rep_id, segment, created_at, "
                                    "close_date, stage, amount) VALUES ('D1','Acme','R1','SMB','2026-03-05',"
                                    "'2026-03-01','won',10)",
    "negative deal amount": "INSERT INTO deals (deal_id, account, owner_rep_id, segment, created_at, stage, amount) "
                            "VALUES ('D1','Acme','R1','SMB','2026-03-01','proposal',-10)",
    "quota for an unknown rep": "INSERT INTO quotas VALUES ('R99','2026-03-01',100,'t')",
    "duplicate quota month": "INSERT INTO quotas VALUES ('R1','2026-03-01',100,'t'), ('R1','2026-03-01',200,'t')",
    "target for an unknown team": "INSERT INTO targets (month, metric, team, value) "
                                  "VALUES ('2026-03-01','mqls','finance',1)",
    "feedback sentiment 2": "INSERT INTO feedback (feedback_id, created_at, topic, sentiment, body) "
                            "VALUES ('F1','2026-03-01','price',2,'x')",
    "feedback topic outside the 4Ps": "INSERT INTO feedback (feedback_id, created_at, topic, sentiment, body) "
                                      "VALUES ('F1','2026-03-01','vibes',0,'x')",
    "action item with unknown status": "INSERT INTO action_items (item_id, title, owner, team, status, created_at, "
                                       "updated_at) VALUES ('A1','x','y','joint','later',now(),now())",
}


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_schema_rejects_bad_row(base_con, case):
    with pytest.raises(duckdb.ConstraintException):
        base_con.execute(BAD_ROWS[case])


def test_schema_accepts_good_rows(base_con):
    base_con.execute("INSERT INTO leads (lead_id, created_at, campaign_id, channel, region, segment, owner_rep_id, "
                     "mql_at, sal_at) VALUES ('L1','2026-03-01 09:00','C1','search','EMEA','SMB','R1',"
                     "'2026-03-02','2026-03-03')")
    base_con.execute("INSERT INTO deals (deal_id, lead_id, account, owner_rep_id, segment, created_at, close_date, "
                     "stage, amount) VALUES ('D1','L1','Acme','R1','SMB','2026-03-05','2026-03-31','won',1234.56)")
    assert base_con.execute("SELECT amount, batch_id FROM deals").fetchall() == [(Decimal("1234.56"), "sample")]


def test_schema_money_is_exact_to_the_cent(base_con):
    base_con.execute("INSERT INTO quotas VALUES ('R1','2026-03-01',0.1,'t'), ('R1','2026-04-01',0.2,'t')")
    total = base_con.execute("SELECT CAST(sum(amount) AS VARCHAR) FROM quotas").fetchone()[0]
    assert total == "0.30"
