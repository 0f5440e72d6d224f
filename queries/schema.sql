-- Tandem schema, version 3. Applied by queries.db on a new database; docs/SCHEMA.md documents every column.
-- Ids are VARCHAR (CRM exports use strings), money is DECIMAL(14,2), months are DATE on the 1st,
-- timestamps are local wall-clock TIMESTAMP. Importable tables carry batch_id ('sample' for generated rows).
-- A value an export does not have stays NULL: nothing is stored as 0, '' or an invented date to satisfy the schema,
-- and every figure that needs a missing value leaves those rows out and says how many (version 3).
-- The fact tables (leads, touches, deals: millions of rows) have no primary or foreign keys: a DuckDB key is an
-- index kept in memory and checked row by row, and it tripled the time of a 1M-row import. Their ids are unique
-- and their references resolve because the one path that writes them, the import (queries.ingest), checks both
-- for every row before it commits; the Data page's health checks count any duplicate or dangling id.
-- queries.db.schema upgrades an older file in place when it is opened for writing: version 1 had keys on the fact
-- tables; version 2 required values that real exports lack (a deal's amount, account, segment and created date…)
-- and kept the company settings in a file beside the code instead of in the database.

CREATE TABLE meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

-- The company's settings (name, currency, fiscal calendar, SLA, stage probabilities…), one row per key, the value
-- as JSON: stored with the data, so every server of a shared database reads the same (queries.settings).
CREATE TABLE settings (
    key        VARCHAR PRIMARY KEY,
    value      VARCHAR NOT NULL,
    updated_at TIMESTAMP,
    updated_by VARCHAR
);

CREATE TABLE import_batches (
    batch_id    VARCHAR PRIMARY KEY,
    table_name  VARCHAR NOT NULL,
    source_name VARCHAR NOT NULL,
    row_count   BIGINT NOT NULL CHECK (row_count >= 0),
    imported_at TIMESTAMP NOT NULL,
    imported_by VARCHAR,
    status      VARCHAR NOT NULL CHECK (status IN ('committed', 'undone')),
    undone_at   TIMESTAMP,
    undone_by   VARCHAR
);

CREATE TABLE reps (
    rep_id   VARCHAR PRIMARY KEY,
    name     VARCHAR NOT NULL,
    team     VARCHAR,  -- NULL: not known (shown as Unassigned)
    region   VARCHAR,
    manager  VARCHAR,
    active   BOOLEAN NOT NULL DEFAULT TRUE,
    batch_id VARCHAR NOT NULL DEFAULT 'sample'
);

CREATE TABLE campaigns (
    campaign_id VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    channel     VARCHAR,
    objective   VARCHAR CHECK (objective IN ('brand', 'demand')),
    product     VARCHAR,
    price_point VARCHAR,
    place       VARCHAR,
    promotion   VARCHAR,
    start_date  DATE,
    end_date    DATE,
    budget      DECIMAL(14, 2) CHECK (budget >= 0),
    owner       VARCHAR,
    batch_id    VARCHAR NOT NULL DEFAULT 'sample',
    CHECK (end_date >= start_date)
);

CREATE TABLE campaign_spend (
    campaign_id VARCHAR NOT NULL REFERENCES campaigns (campaign_id),
    day         DATE NOT NULL,
    spend       DECIMAL(14, 2) NOT NULL CHECK (spend >= 0),
    impressions BIGINT CHECK (impressions >= 0),  -- NULL: not reported by the ad platform
    clicks      BIGINT CHECK (clicks >= 0),
    reach       BIGINT CHECK (reach >= 0),
    batch_id    VARCHAR NOT NULL DEFAULT 'sample',
    PRIMARY KEY (campaign_id, day)
);

CREATE TABLE brand_metrics (
    month    DATE NOT NULL CHECK (EXTRACT(day FROM month) = 1),
    metric   VARCHAR NOT NULL CHECK (metric IN ('aided_awareness', 'unaided_awareness', 'consideration',
                                                'share_of_voice', 'share_of_search', 'branded_search',
                                                'web_visits')),
    region   VARCHAR NOT NULL,
    value    DOUBLE PRECISION NOT NULL CHECK (value BETWEEN 0 AND 1e308),
    source   VARCHAR,
    batch_id VARCHAR NOT NULL DEFAULT 'sample',
    PRIMARY KEY (month, metric, region)
);

CREATE TABLE leads (
    lead_id          VARCHAR NOT NULL,  -- unique (checked by the import)
    created_at       TIMESTAMP,         -- NULL: not in the export (the lead is in no cohort)
    campaign_id      VARCHAR,           -- campaigns.campaign_id
    channel          VARCHAR,
    region           VARCHAR,
    segment          VARCHAR,
    industry         VARCHAR,
    company          VARCHAR,
    owner_rep_id     VARCHAR,           -- reps.rep_id
    mql_at           TIMESTAMP,
    sal_at           TIMESTAMP,
    sql_at           TIMESTAMP,
    rejected_at      TIMESTAMP,
    reject_reason    VARCHAR,
    first_contact_at TIMESTAMP,
    contact_attempts INTEGER CHECK (contact_attempts >= 0),  -- NULL: not recorded
    batch_id         VARCHAR NOT NULL DEFAULT 'sample',
    CHECK (mql_at IS NULL OR mql_at >= created_at),
    CHECK (sal_at IS NULL OR mql_at IS NOT NULL),
    CHECK (rejected_at IS NULL OR mql_at IS NOT NULL)
);

CREATE TABLE touches (
    lead_id     VARCHAR NOT NULL,  -- leads.lead_id
    campaign_id VARCHAR NOT NULL,  -- campaigns.campaign_id
    touched_at  TIMESTAMP NOT NULL,
    batch_id    VARCHAR NOT NULL DEFAULT 'sample'
);

CREATE TABLE deals (
    deal_id      VARCHAR NOT NULL,  -- unique (checked by the import)
    lead_id      VARCHAR,           -- leads.lead_id
    account      VARCHAR,
    owner_rep_id VARCHAR NOT NULL,  -- reps.rep_id
    product      VARCHAR,
    segment      VARCHAR,
    created_at   TIMESTAMP,         -- NULL: not in the export (the deal is in no creation period)
    close_date   DATE,
    stage        VARCHAR NOT NULL CHECK (stage IN ('prospecting', 'qualification', 'proposal', 'negotiation',
                                                   'won', 'lost')),
    amount       DECIMAL(14, 2) CHECK (amount >= 0),  -- NULL: not known (allowed unless won)
    loss_reason  VARCHAR,
    batch_id     VARCHAR NOT NULL DEFAULT 'sample',
    CHECK (stage NOT IN ('won', 'lost') OR close_date IS NOT NULL),
    CHECK (stage <> 'won' OR amount IS NOT NULL),
    CHECK (close_date IS NULL OR close_date >= CAST(created_at AS DATE))
);

CREATE TABLE quotas (
    rep_id   VARCHAR NOT NULL REFERENCES reps (rep_id),
    month    DATE NOT NULL CHECK (EXTRACT(day FROM month) = 1),
    amount   DECIMAL(14, 2) NOT NULL CHECK (amount >= 0),
    batch_id VARCHAR NOT NULL DEFAULT 'sample',
    PRIMARY KEY (rep_id, month)
);

CREATE TABLE targets (
    month      DATE NOT NULL CHECK (EXTRACT(day FROM month) = 1),
    metric     VARCHAR NOT NULL,
    team       VARCHAR NOT NULL CHECK (team IN ('marketing', 'sales', 'joint')),
    value      DOUBLE PRECISION NOT NULL CHECK (value BETWEEN -1e308 AND 1e308),
    updated_at TIMESTAMP,
    updated_by VARCHAR,
    batch_id   VARCHAR NOT NULL DEFAULT 'sample',
    PRIMARY KEY (month, metric, team)
);

CREATE TABLE feedback (
    feedback_id VARCHAR PRIMARY KEY,
    created_at  TIMESTAMP NOT NULL,
    author      VARCHAR,
    team        VARCHAR,
    campaign_id VARCHAR REFERENCES campaigns (campaign_id),
    deal_id     VARCHAR,  -- deals.deal_id
    topic       VARCHAR NOT NULL CHECK (topic IN ('product', 'price', 'place', 'promotion', 'lead_quality',
                                                  'other')),
    sentiment   INTEGER NOT NULL CHECK (sentiment IN (-1, 0, 1)),
    body        VARCHAR NOT NULL,
    batch_id    VARCHAR NOT NULL DEFAULT 'sample'
);

CREATE TABLE meetings (
    meeting_id VARCHAR PRIMARY KEY,
    held_on    DATE NOT NULL,
    title      VARCHAR NOT NULL,
    as_of      DATE NOT NULL,
    notes      VARCHAR NOT NULL DEFAULT '',
    status     VARCHAR NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    created_by VARCHAR,
    updated_at TIMESTAMP,
    updated_by VARCHAR
);

CREATE TABLE action_items (
    item_id    VARCHAR PRIMARY KEY,
    meeting_id VARCHAR REFERENCES meetings (meeting_id),
    title      VARCHAR NOT NULL,
    owner      VARCHAR NOT NULL,
    team       VARCHAR NOT NULL CHECK (team IN ('marketing', 'sales', 'joint')),
    due_on     DATE,
    status     VARCHAR NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'dropped')),
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    created_by VARCHAR,
    updated_at TIMESTAMP NOT NULL,
    updated_by VARCHAR
);
