"""The truths planted in the generated sample database, as named constants tests and pages can find.

Each constant is a fact about how the sample company behaves; docs/SAMPLE_DATA.md explains them.
"""

# Vocabulary of the sample company.
REGIONS = ("NA", "EMEA", "APAC", "LATAM")
REGION_WEIGHTS = (0.40, 0.30, 0.20, 0.10)
SEGMENTS = ("SMB", "Mid-Market", "Enterprise")
SEGMENT_WEIGHTS = (0.55, 0.30, 0.15)
INDUSTRIES = ("Software", "Financial services", "Healthcare", "Manufacturing", "Retail", "Education")
CHANNELS = ("search", "social", "display", "video", "email", "events", "content", "partner")
BRAND_CHANNELS = ("display", "video", "social", "events")
INBOUND_CHANNELS = ("organic", "direct", "referral")
PRODUCTS = ("Core platform", "Analytics add-on", "Integrations pack")
REJECT_REASONS = ("not a fit", "no budget", "student or job seeker", "duplicate", "competitor")
LOSS_REASONS = ("price", "competitor", "no decision", "timing", "product fit")
BRAND_METRICS = ("aided_awareness", "unaided_awareness", "consideration", "share_of_voice",
                 "share_of_search", "branded_search", "web_visits")

# 1. Brand awareness follows brand spend through carry-over (geometric adstock) and saturation (Hill).
ADSTOCK_THETA = 0.6
HILL_SHAPE = 1.5
AWARENESS_FLOOR_PCT = 18.0
AWARENESS_LIFT_PCT = 30.0

# 2. Inbound (non-campaign) lead volume follows aided awareness this many months later.
BRAND_TO_PIPELINE_LAG_MONTHS = 3
INBOUND_AWARENESS_ELASTICITY = 4.0

# 3. Demand-campaign leads show diminishing returns in spend: leads ∝ spend ** this exponent.
DEMAND_SPEND_EXPONENT = 0.6

# 4. The biggest brand campaign: the highest spend and almost no attributable pipeline. It starts on the 1st of this
# calendar month, in the latest year where that is at least STADIUM_MIN_AGE_MONTHS before the end date's month.
STADIUM_CAMPAIGN_ID = "C-STADIUM"
STADIUM_CAMPAIGN_NAME = "Stadium Billboards"
STADIUM_START_MONTH = 3
STADIUM_MIN_AGE_MONTHS = 3
STADIUM_DAYS = 180

# 5. Leads first contacted within this many hours reach SQL at >= 2x the rate of slower ones.
FAST_RESPONSE_HOURS = 24
SQL_RATE_FAST = 0.46
SQL_RATE_SLOW = 0.19
SLOW_REP_IDS = ("NA-002", "EMEA-003")

# 6. Segments differ: Enterprise has larger deals, longer cycles and lower win rates than SMB.
DEAL_MEDIAN_AMOUNT = {"SMB": 12_000, "Mid-Market": 38_000, "Enterprise": 125_000}
DEAL_MEAN_CYCLE_DAYS = {"SMB": 28, "Mid-Market": 55, "Enterprise": 110}
WIN_RATE = {"SMB": 0.40, "Mid-Market": 0.31, "Enterprise": 0.21}

# 7. Quotas have seasonality (Q4 higher); reps differ in skill, so some beat quota and some miss.
QUOTA_SEASONALITY = {1: 0.90, 2: 0.90, 3: 0.95, 4: 0.95, 5: 1.00, 6: 1.00,
                     7: 0.95, 8: 0.95, 9: 1.00, 10: 1.15, 11: 1.20, 12: 1.30}
QUOTA_FUTURE_MONTHS = 6

# 8. Sales feedback is tagged to the 4Ps and concentrated on the weakest campaigns.
WEAK_CAMPAIGN_COUNT = 20
WEAK_CAMPAIGN_FEEDBACK_SHARE = 0.7
