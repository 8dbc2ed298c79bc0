"""Who and what the demo workspace is about: pipeline, labels, team, senders, creators, campaigns.

Data only, no logic: ``seed_catalog.py``, ``seed_creators.py`` and ``seed_threads.py`` draw from
these lists with one seeded RNG, so their order is part of the seed: reordering an entry changes
every row after it. Everything is fictional (brands, people, addresses); ``.invalid``/``example``
domains are used where a link would otherwise point somewhere real.
"""

from __future__ import annotations

# --- pipeline, labels, team ---------------------------------------------------------------------

# (code, name, order): the outreach pipeline. ``deal`` is a stage, not "unread".
COOP_STATUSES: tuple[tuple[str, str, int], ...] = (
    ("new", "New", 1),
    ("contacted", "Contacted", 2),
    ("interested", "Interested", 3),
    ("negotiating", "Negotiating", 4),
    ("deal", "Deal", 5),
    ("content_in_progress", "Content in progress", 6),
    ("published", "Published", 7),
    ("declined", "Declined", 8),
)

# How often each stage occurs in the demo (same order as COOP_STATUSES).
COOP_WEIGHTS: tuple[int, ...] = (9, 18, 16, 14, 12, 10, 11, 10)

# (label_id, name, color)
LABELS: tuple[tuple[str, str, str], ...] = (
    ("lb_vip", "VIP", "#d4a72c"),
    ("lb_hot_lead", "Hot lead", "#e5534b"),
    ("lb_needs_contract", "Needs contract", "#8957e5"),
    ("lb_paid", "Paid", "#2da44e"),
    ("lb_gifted", "Gifted", "#db61a2"),
    ("lb_follow_up", "Follow up", "#0969da"),
    ("lb_wrong_contact", "Wrong contact", "#8c959f"),
    ("lb_agency", "Agency", "#bf8700"),
)

# (user_uid, name, email, own sender_auth_id)
TEAM: tuple[tuple[str, str, str, str], ...] = (
    ("u_maya", "Maya Chen", "maya@glowbrook.example", "sa_maya"),
    ("u_diego", "Diego Alvarez", "diego@glowbrook.example", "sa_diego"),
    ("u_priya", "Priya Nair", "priya@glowbrook.example", "sa_partnerships"),
    ("u_tom", "Tom Becker", "tom@glowbrook.example", "sa_partnerships"),
)
TEAM_WEIGHTS: tuple[int, ...] = (35, 30, 20, 15)
TEAM_NAME = "Glowbrook Collective"
AUTH_USER = ("u_maya", "Maya Chen")

# (sender_auth_id, address, name, provider)
SENDERS: tuple[tuple[str, str, str, str], ...] = (
    ("sa_partnerships", "partnerships@glowbrook.example", "Glowbrook Partnerships", "google"),
    ("sa_maya", "maya@glowbrook.example", "Maya Chen", "google"),
    ("sa_diego", "diego@glowbrook.example", "Diego Alvarez", "microsoft"),
)

# --- creators -----------------------------------------------------------------------------------

PLATFORMS: tuple[str, ...] = ("youtube", "tiktok", "instagram")
PLATFORM_WEIGHTS: tuple[int, ...] = (40, 32, 28)
PLATFORM_NAMES = {"youtube": "YouTube", "tiktok": "TikTok", "instagram": "Instagram"}

LANGUAGES: tuple[str, ...] = ("en", "es", "pt", "ja")
LANGUAGE_WEIGHTS: tuple[int, ...] = (85, 6, 5, 4)

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "Avery", "Jordan", "Maddie", "Liam", "Chloe", "Noah", "Harper", "Ethan", "Zoe", "Marcus",
        "Priscilla", "Dev", "Hannah", "Caleb", "Imani", "Owen", "Sadie", "Tyler", "Nina", "Jamal",
        "Grace", "Ryan", "Leah", "Brandon", "Kayla", "Sam", "Olivia", "Derek", "Tessa", "Aaron",
        "Brooke", "Kenji", "Megan", "Luca", "Riley", "Fatima", "Connor", "Ivy", "Malik", "Paige",
    ),
    "es": ("Lucía", "Mateo", "Valentina", "Santiago", "Camila", "Diego", "Sofía", "Javier", "Paula", "Andrés"),
    "pt": ("Beatriz", "João", "Larissa", "Gabriel", "Mariana", "Rafael", "Ana", "Thiago", "Júlia", "Pedro"),
    "ja": ("Yui", "Haruto", "Sakura", "Ren", "Aoi", "Sota", "Mei", "Yuto", "Hina", "Kaito"),
}

LAST_NAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "Brooks", "Patel", "Nguyen", "Carter", "Reyes", "Kim", "Foster", "Hughes", "Okafor", "Bennett",
        "Russo", "Walsh", "Sullivan", "Park", "Coleman", "Hayes", "Lindqvist", "Murphy", "Dubois", "Grant",
        "Ortiz", "Shah", "Baker", "Fischer", "Morgan", "Ellis", "Tanaka", "Price", "Kowalski", "Reed",
    ),
    "es": ("García", "Martínez", "López", "Fernández", "Ruiz", "Morales", "Herrera", "Castro", "Vega", "Navarro"),
    "pt": ("Silva", "Santos", "Oliveira", "Souza", "Costa", "Pereira", "Almeida", "Ferreira", "Lima", "Rocha"),
    "ja": ("Sato", "Suzuki", "Takahashi", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato", "Mori"),
}

# Niche words that go into handles and pitches.
NICHES: tuple[tuple[str, str], ...] = (
    ("beauty", "skincare routines"),
    ("glow", "skincare"),
    ("fit", "home workouts"),
    ("eats", "weeknight recipes"),
    ("cooks", "budget cooking"),
    ("travels", "slow travel"),
    ("tech", "gadget reviews"),
    ("plays", "cozy gaming"),
    ("outdoors", "hiking and camping"),
    ("mom", "family life"),
    ("style", "everyday fashion"),
    ("home", "small-space decor"),
    ("pets", "dog training"),
    ("money", "personal finance"),
    ("reads", "book reviews"),
)

HANDLE_PATTERNS: tuple[str, ...] = (
    "{first}{niche}",
    "{first}.{niche}",
    "{first}_{last}",
    "{first}{last}{niche}",
    "the{first}{niche}",
    "{niche}with{first}",
    "{first}{last}",
    "{first}.{last}.{n}",
)

EMAIL_PATTERNS: tuple[str, ...] = (
    "{handle}@gmail.example",
    "hello@{domain}.example",
    "collabs.{handle}@gmail.example",
    "{first}.{last}@outlook.example",
    "business@{domain}.example",
)

AGENCIES: tuple[str, ...] = ("Northlight Talent", "Kinship Creators", "Palm & Pine Management", "Brightside Talent Co.")

# --- campaigns (email tasks) --------------------------------------------------------------------

# (brand, product, campaign name, email subject, kind) — kind "paid" or "gifted"
CAMPAIGNS: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "Lumen Skin", "Dew Drop vitamin C serum", "Winter Glow serum launch", "Paid collab: Lumen Skin Dew Drop serum",
        "paid",
    ),
    ("Trailpeak", "Ridgeline 38L pack", "Holiday gear gifting", "A Ridgeline pack for your next trip?", "gifted"),
    ("Byte Audio", "Pulse Pro earbuds", "Q1 earbuds reviews", "Byte Audio x you — Pulse Pro review", "paid"),
    ("Mochi Meals", "ready-to-cook ramen kits", "Spring recipe series", "Recipe series with Mochi Meals", "paid"),
    ("Fernwood Home", "linen bedding set", "Cozy bedroom refresh", "Fernwood Home bedding collab", "gifted"),
    ("Stride Lab", "CloudRun trainers", "New year running challenge", "Run with Stride Lab this January?", "paid"),
    ("Pawsome Co.", "smart treat dispenser", "Pet tech launch", "Pawsome smart dispenser — paid partnership", "paid"),
    ("Ledgerly", "budgeting app", "Money reset month", "Sponsored video: Ledgerly budgeting app", "paid"),
    ("Kiko Tea", "matcha starter kit", "Matcha morning ritual", "Kiko Tea matcha kit for you", "gifted"),
    (
        "Arcadia Games", "Starfall Valley (Switch)", "Starfall Valley launch week", "Early access: Starfall Valley",
        "paid",
    ),
    ("Lumen Skin", "Barrier Balm night cream", "Barrier Balm always-on", "Lumen Skin ambassador program", "paid"),
    ("Nomad Threads", "capsule travel jacket", "Carry-on capsule", "Nomad Threads capsule collab", "gifted"),
)

DELIVERABLES: dict[str, tuple[str, ...]] = {
    "youtube": (
        "one 60–90 second integrated segment in a YouTube video",
        "a dedicated YouTube video (8–12 min) plus one Community post",
        "one integrated YouTube segment and a pinned comment with the link",
    ),
    "tiktok": (
        "two TikTok videos (30–60 s) with the link in bio for 14 days",
        "one TikTok video and 3 Stories-style reposts",
        "one TikTok video with Spark Ads rights for 30 days",
    ),
    "instagram": (
        "one Reel and 3 Story frames with a link sticker",
        "a carousel post plus one Reel",
        "two Reels over two weeks with a link in bio",
    ),
}

FEES: tuple[int, ...] = (300, 450, 600, 750, 900, 1200, 1500, 1800, 2500, 3500, 5000)

ADDRESSES: dict[str, tuple[str, ...]] = {
    "en": (
        "1458 Alder St, Apt 3B\nPortland, OR 97214\nUSA",
        "22 Kingsley Road\nLeeds LS6 2AB\nUnited Kingdom",
        "870 Dufferin St, Unit 12\nToronto, ON M6H 4B3\nCanada",
        "4105 Magnolia Ave\nAustin, TX 78704\nUSA",
        "17 Harbour View Drive\nBrisbane QLD 4000\nAustralia",
        "309 W 19th St, Apt 4F\nNew York, NY 10011\nUSA",
    ),
    "es": ("Calle de Serrano 41, 3º B\n28001 Madrid\nEspaña", "Av. Insurgentes Sur 1602, Depto 8\nCDMX 03940\nMéxico"),
    "pt": (
        "Rua Augusta 1520, apto 72\nSão Paulo - SP, 01304-001\nBrasil",
        "Rua da Prata 88, 2º Esq\n1100-414 Lisboa\nPortugal",
    ),
    "ja": ("〒150-0001 東京都渋谷区神宮前 3-12-8 サンハイツ 204", "〒530-0012 大阪府大阪市北区芝田 1-4-17"),
}

CARRIERS: tuple[str, ...] = ("UPS", "FedEx", "DHL", "USPS")

NOTES: tuple[str, ...] = (
    "Prefers email over DMs. Audience mostly US, 25–34. Quoted {fee} for an integration last time.",
    "Responds fast on weekdays. Wants usage rights capped at 30 days.",
    "Managed by {agency} — CC the manager on contracts.",
    "Great engagement on short-form; long-form views are lower. Good fit for gifting.",
    "Asked us not to contact before 10am PT.",
    "Posted for a competitor in March; check exclusivity before offering.",
    "Paid on time via invoice; needs W-9 on file.",
    "",
)
