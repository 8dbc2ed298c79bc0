"""Words the demo workspace is made of: people, brands, campaigns and message text.

Data only, no logic: ``seed.py`` draws from these lists with a seeded RNG. Everything is fictional
(brands, people, addresses, tracking numbers); ``.invalid``/``example`` domains are used where a link
would otherwise point somewhere real.
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
    ("Lumen Skin", "Dew Drop vitamin C serum", "Winter Glow serum launch", "Paid collab: Lumen Skin Dew Drop serum", "paid"),
    ("Trailpeak", "Ridgeline 38L pack", "Holiday gear gifting", "A Ridgeline pack for your next trip?", "gifted"),
    ("Byte Audio", "Pulse Pro earbuds", "Q1 earbuds reviews", "Byte Audio x you — Pulse Pro review", "paid"),
    ("Mochi Meals", "ready-to-cook ramen kits", "Spring recipe series", "Recipe series with Mochi Meals", "paid"),
    ("Fernwood Home", "linen bedding set", "Cozy bedroom refresh", "Fernwood Home bedding collab", "gifted"),
    ("Stride Lab", "CloudRun trainers", "New year running challenge", "Run with Stride Lab this January?", "paid"),
    ("Pawsome Co.", "smart treat dispenser", "Pet tech launch", "Pawsome smart dispenser — paid partnership", "paid"),
    ("Ledgerly", "budgeting app", "Money reset month", "Sponsored video: Ledgerly budgeting app", "paid"),
    ("Kiko Tea", "matcha starter kit", "Matcha morning ritual", "Kiko Tea matcha kit for you", "gifted"),
    ("Arcadia Games", "Starfall Valley (Switch)", "Starfall Valley launch week", "Early access: Starfall Valley", "paid"),
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
    "pt": ("Rua Augusta 1520, apto 72\nSão Paulo - SP, 01304-001\nBrasil", "Rua da Prata 88, 2º Esq\n1100-414 Lisboa\nPortugal"),
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

# --- message text -------------------------------------------------------------------------------
# Placeholders: {first} {handle} {platform} {brand} {product} {fee} {counter} {deliverable} {rep}
# {rep_full} {date} {address} {carrier} {tracking} {link} {agency} {niche} {days}
# Each step: list of variants per language. Steps without a translation fall back to English.

STEPS: dict[str, dict[str, tuple[str, ...]]] = {
    "pitch": {
        "en": (
            "Hi {first},\n\nI'm {rep_full} from Glowbrook, working with {brand}. We've been watching your {niche} "
            "content on {platform} and think the {product} would fit your audience really naturally.\n\n"
            "We'd love to do a paid collab: {deliverable}. Would you be open to it? If so, could you share your "
            "current rates and availability for the next 4–6 weeks?\n\nBest,\n{rep}",
            "Hey {first}!\n\nBig fan of your {niche} videos — the last one was great. I'm reaching out on behalf of "
            "{brand}: they're launching the {product} and you were the first creator on our list.\n\n"
            "Would you be interested in partnering? We're thinking {deliverable}, paid of course.\n\nCheers,\n{rep}",
            "Hi {first},\n\n{rep} here from Glowbrook. {brand} asked us to find a handful of {platform} creators "
            "for the {product}, and your channel stood out. Happy to send a sample first, no strings attached.\n\n"
            "Let me know if you'd like to hear more!\n\n{rep}",
        ),
        "es": (
            "Hola {first}:\n\nSoy {rep_full} de Glowbrook y trabajamos con {brand}. Nos encanta tu contenido en "
            "{platform} y creemos que el {product} encajaría muy bien con tu audiencia.\n\n¿Te interesaría una "
            "colaboración pagada? Si es así, ¿podrías compartir tus tarifas y disponibilidad?\n\nUn saludo,\n{rep}",
        ),
        "pt": (
            "Oi {first}, tudo bem?\n\nSou {rep_full}, da Glowbrook, e trabalhamos com a {brand}. Adoramos seu conteúdo "
            "no {platform} e achamos que o {product} tem tudo a ver com o seu público.\n\nVocê toparia uma parceria "
            "paga? Se sim, pode me mandar seus valores e disponibilidade?\n\nAbraço,\n{rep}",
        ),
        "ja": (
            "{first}様\n\nはじめまして。Glowbrookの{rep_full}と申します。{brand}様のPRを担当しております。"
            "{platform}での発信をいつも拝見しており、{product}をぜひご紹介いただけないかと思いご連絡しました。\n\n"
            "有償でのタイアップをご検討いただけますでしょうか。料金とご都合をお知らせいただけますと幸いです。\n\n{rep}",
        ),
    },
    "follow_up": {
        "en": (
            "Hi {first}, just bumping this to the top of your inbox — would love to work with you on the {product}. "
            "Any interest?\n\n{rep}",
            "Hey {first}, following up on my note from last week about {brand}. Totally fine if the timing isn't "
            "right, just let me know either way!\n\n{rep}",
            "Hi {first} — quick nudge on the {brand} collab. We're finalising the creator list on {date}. "
            "Happy to hop on a call if easier.\n\n{rep}",
        ),
        "es": ("Hola {first}, te escribo de nuevo por la colaboración con {brand}. ¿Te interesa? ¡Gracias!\n\n{rep}",),
        "pt": ("Oi {first}, passando para lembrar da parceria com a {brand}. Tem interesse? Obrigado!\n\n{rep}",),
        "ja": ("{first}様\n\n先日ご連絡した{brand}様の件、ご検討状況はいかがでしょうか。\nよろしくお願いいたします。\n\n{rep}",),
    },
    "ask_rates": {
        "en": (
            "Hi {rep}! Thanks for reaching out — I've actually been curious about {brand}. What budget do you have "
            "in mind for this? And is it {deliverable_short} or something bigger?",
            "Hey! Sounds fun. Before I say yes, what's the rate you're offering, and how long would you want "
            "usage rights for?",
            "Hi {rep}, I'd be interested! Could you tell me the budget and the timeline? I'm booked until {date}.",
        ),
        "es": ("¡Hola {rep}! Gracias por escribir. Me interesa. ¿Qué presupuesto tienen pensado y para qué fechas?",),
        "pt": ("Oi {rep}! Obrigada pelo contato, tenho interesse sim. Qual é o orçamento e o prazo?",),
        "ja": ("{rep}様\n\nご連絡ありがとうございます。ぜひ前向きに検討したいです。ご予算とスケジュールを教えていただけますか？",),
    },
    "rate_card": {
        "en": (
            "Hi {rep}, thanks! I've attached my rate card for 2026. For {platform} my integration rate is {counter}, "
            "which includes one round of revisions and 30 days of organic usage.",
            "Hey — rates attached. Happy to bundle {deliverable_short} for {counter} if we can lock dates this month.",
        ),
    },
    "ask_details": {
        "en": (
            "Hi {rep}, this looks interesting. Can you tell me more about the {product}? Is it available in the "
            "EU/UK too? A lot of my audience is outside the US.",
            "Hey! Quick questions before I commit: when would the product ship, and is there a script or talking "
            "points I have to follow?",
        ),
    },
    "answer_details": {
        "en": (
            "Great questions! The {product} ships worldwide and we'd send it within 3 business days. No script — "
            "just a one-page brief with 3 key points; we trust you to make it sound like you.\n\n{rep}",
        ),
    },
    "ask_usage": {
        "en": (
            "Thanks, that helps. One more thing — would {brand} want to use the video in paid ads? If so, whitelisting "
            "is an extra 30% for 30 days.",
        ),
    },
    "offer": {
        "en": (
            "Thanks {first}! {brand} can do {fee} for {deliverable}, with 30 days of organic usage. Content would "
            "go live the week of {date}. Does that work?\n\n{rep}",
            "Appreciate you sending those over. Our budget for this round is {fee} for {deliverable}. We can also "
            "add an affiliate code with 15% commission on top.\n\n{rep}",
        ),
        "es": ("¡Gracias {first}! {brand} puede ofrecer {fee} por {deliverable}. ¿Te parece bien?\n\n{rep}",),
        "pt": ("Obrigado, {first}! A {brand} pode pagar {fee} por {deliverable}. Fechado?\n\n{rep}",),
        "ja": ("{first}様\n\nありがとうございます。{brand}様より、{deliverable}で{fee}のご提案です。いかがでしょうか。\n\n{rep}",),
    },
    "counter": {
        "en": (
            "Thanks {rep}. {fee} is a bit under my usual rate — could we meet at {counter}? I can throw in an extra "
            "Story frame.",
            "I appreciate the offer! My minimum for an integration is {counter} though. If that's not possible, "
            "I could do a shorter mention for {fee}.",
        ),
        "es": ("Gracias {rep}. {fee} está por debajo de mi tarifa habitual. ¿Podríamos dejarlo en {counter}?",),
        "pt": ("Obrigada, {rep}. {fee} fica um pouco abaixo do meu valor. Conseguimos fechar em {counter}?",),
        "ja": ("{rep}様\n\nご提案ありがとうございます。恐れ入りますが、{counter}でお願いできませんでしょうか。",),
    },
    "agree_in": {
        "en": (
            "Sounds good — let's do it! Send over the contract and brief whenever you're ready.",
            "Deal! {counter} works for me. What do you need from me next?",
        ),
        "es": ("¡Perfecto, trato hecho! Envíame el contrato cuando puedas.",),
        "pt": ("Perfeito, fechado! Pode me mandar o contrato quando puder.",),
        "ja": ("承知しました。ぜひよろしくお願いいたします！契約書をお送りください。",),
    },
    "ask_address": {
        "en": (
            "Amazing, welcome aboard! Could you send me the best shipping address for the {product}? I'll get the "
            "contract over today.\n\n{rep}",
        ),
        "es": ("¡Genial, bienvenida! ¿Me pasas la dirección de envío para el {product}?\n\n{rep}",),
        "pt": ("Que ótimo! Pode me passar o endereço de entrega do {product}?\n\n{rep}",),
        "ja": ("ありがとうございます！{product}の送付先ご住所を教えていただけますか。\n\n{rep}",),
    },
    "address": {
        "en": (
            "Here you go:\n\n{first} {last}\n{address}\n\nPlease put my name on the box, the building has a lot of "
            "packages. Thanks!",
            "Shipping address:\n{address}\nAttn: {first} {last}\n\nCan you let me know the tracking number once it's out?",
        ),
        "es": ("Aquí tienes:\n\n{first} {last}\n{address}\n\n¡Gracias!",),
        "pt": ("Segue o endereço:\n\n{first} {last}\n{address}\n\nObrigada!",),
        "ja": ("送付先はこちらです。\n\n{address}\n{last} {first}\n\nよろしくお願いいたします。",),
    },
    "contract": {
        "en": (
            "Contract attached — it covers {deliverable}, {fee}, payment net 30 after posting, and 30 days usage. "
            "Sign whenever you're ready and I'll countersign.\n\n{rep}",
        ),
    },
    "shipped": {
        "en": (
            "The {product} shipped today via {carrier}, tracking {tracking}. Brief attached — aim to post by {date}. "
            "Shout if anything is unclear!\n\n{rep}",
        ),
    },
    "draft_ready": {
        "en": (
            "Hi {rep}, draft is ready for review: {link}\n\nLet me know if {brand} wants changes by Friday so I can "
            "keep my posting date.",
            "Rough cut here: {link} — I kept the mention around 70 seconds. Feedback welcome!",
        ),
    },
    "feedback": {
        "en": (
            "Looks great! Two small notes from {brand}: please say \"vitamin C\" instead of \"vitamin see\" in the "
            "caption, and add the discount code on screen. Approved otherwise.\n\n{rep}",
        ),
    },
    "live": {
        "en": (
            "It's live! {link}\n\nInvoice attached — thanks so much, this was a fun one.",
            "Posted this morning: {link}. Early numbers look good. Sending my invoice separately.",
        ),
    },
    "thanks": {
        "en": (
            "Thanks {first}! Payment is processed and should land within 5 business days. Would love to work together "
            "again next quarter.\n\n{rep}",
        ),
    },
    "decline": {
        "en": (
            "Hi {rep}, thanks for thinking of me, but I'm going to pass on this one — it's not a great fit for my "
            "audience right now.",
            "Appreciate it, but I'm fully booked through {date} and not taking new sponsors. Best of luck with the launch!",
        ),
        "es": ("Gracias por pensar en mí, pero esta vez voy a pasar. ¡Mucha suerte con el lanzamiento!",),
        "pt": ("Obrigada pelo convite, mas dessa vez vou passar. Boa sorte com o lançamento!",),
        "ja": ("ご連絡ありがとうございます。大変恐縮ですが、今回は見送らせていただきます。",),
    },
    "wrong_contact": {
        "en": (
            "Hi — I don't manage this channel anymore. Please reach out to the team directly through the email on "
            "their {platform} profile.",
        ),
    },
    "agency_reply": {
        "en": (
            "Hi {rep}, I'm {first}'s manager at {agency}. Please send the full brief, budget and usage terms to me "
            "and we'll review with {first}.",
        ),
    },
}

# Why a thread whose last step is this inbound one needs a reply (``None`` = no reply needed).
PENDING_REASONS: dict[str, str | None] = {
    "ask_rates": "creator asked about rates",
    "rate_card": "creator sent a rate card",
    "ask_details": "creator asked for product details",
    "ask_usage": "creator asked about usage rights",
    "counter": "creator countered the offer",
    "agree_in": "creator accepted — send the contract",
    "address": "creator shared a shipping address",
    "draft_ready": "creator sent a draft for review",
    "live": "creator posted — confirm and pay",
    "wrong_contact": "creator says this is the wrong contact",
    "agency_reply": "agency asked for the brief and budget",
    "decline": None,
}

FOLLOW_UP_DUE = "follow-up due: no reply in {days} days"

# Scripts (step sequences) per coop status. Step direction: see INBOUND_STEPS.
SCRIPTS: dict[str, tuple[tuple[str, ...], ...]] = {
    "new": (("pitch",),),
    "contacted": (("pitch", "follow_up"), ("pitch", "follow_up", "follow_up"), ("pitch",)),
    "interested": (
        ("pitch", "ask_rates"),
        ("pitch", "follow_up", "ask_rates"),
        ("pitch", "ask_details", "answer_details", "ask_usage"),
        ("pitch", "ask_details"),
        ("pitch", "agency_reply"),
    ),
    "negotiating": (
        ("pitch", "rate_card", "offer", "counter"),
        ("pitch", "ask_rates", "offer", "counter"),
        ("pitch", "ask_rates", "offer"),
        ("pitch", "follow_up", "rate_card"),
    ),
    "deal": (
        ("pitch", "ask_rates", "offer", "agree_in"),
        ("pitch", "ask_rates", "offer", "agree_in", "ask_address", "address"),
        ("pitch", "rate_card", "offer", "agree_in", "ask_address", "address", "contract"),
    ),
    "content_in_progress": (
        ("pitch", "ask_rates", "offer", "agree_in", "ask_address", "address", "shipped"),
        ("pitch", "rate_card", "offer", "agree_in", "shipped", "draft_ready"),
        ("pitch", "ask_rates", "offer", "agree_in", "shipped", "draft_ready", "feedback"),
    ),
    "published": (
        ("pitch", "rate_card", "offer", "agree_in", "shipped", "draft_ready", "feedback", "live"),
        ("pitch", "ask_rates", "offer", "agree_in", "shipped", "live", "thanks"),
        ("pitch", "offer", "agree_in", "shipped", "live"),
    ),
    "declined": (("pitch", "decline"), ("pitch", "follow_up", "decline"), ("pitch", "wrong_contact")),
}

# Non-English conversations use scripts whose every step is translated.
LOCAL_SCRIPTS: dict[str, tuple[tuple[str, ...], ...]] = {
    "new": (("pitch",),),
    "contacted": (("pitch", "follow_up"),),
    "interested": (("pitch", "ask_rates"),),
    "negotiating": (("pitch", "ask_rates", "offer", "counter"),),
    "deal": (("pitch", "ask_rates", "offer", "agree_in", "ask_address", "address"),),
    "content_in_progress": (("pitch", "ask_rates", "offer", "agree_in", "ask_address", "address"),),
    "published": (("pitch", "ask_rates", "offer", "agree_in"),),
    "declined": (("pitch", "decline"),),
}

INBOUND_STEPS: frozenset[str] = frozenset(
    {
        "ask_rates", "rate_card", "ask_details", "ask_usage", "counter", "agree_in", "address",
        "draft_ready", "live", "decline", "wrong_contact", "agency_reply",
    }
)

# Files that ride along with some steps: (filename pattern, content type, min size, max size)
STEP_ATTACHMENTS: dict[str, tuple[str, str, int, int]] = {
    "rate_card": ("{handle}_rate_card_2026.pdf", "application/pdf", 90_000, 420_000),
    "contract": ("Glowbrook_{brand_slug}_creator_agreement.pdf", "application/pdf", 120_000, 300_000),
    "shipped": ("{brand_slug}_brief.pdf", "application/pdf", 200_000, 900_000),
    "live": ("invoice_{handle}.pdf", "application/pdf", 40_000, 90_000),
}

# A short reply the rep has started but not sent (saved drafts), by pending reason kind.
DRAFTS: tuple[str, ...] = (
    "Hi {first}, thanks for the quick reply! Our budget for this is {fee} — let me double-check usage terms "
    "with {brand} and get back to you today.",
    "Thanks {first}! Contract is coming your way shortly. Could you confirm the posting date?",
    "Hey {first}, the draft looks great. One tiny change from {brand}:",
    "Hi {first} — got the address, thank you! Shipping this week.",
    "Thanks for letting us know. Could you share the right contact for partnerships?",
)

# (name, language, subject, body) — ``{{var}}`` is filled by ``templates use``.
TEMPLATES: tuple[tuple[str, str, str | None, str], ...] = (
    (
        "First outreach — paid collab",
        "en",
        "Paid collab with {{project_name}}?",
        "Hi {{creator_first_name}},\n\nI'm {{sender_name}} from Glowbrook. We love your {{platform}} content and "
        "think you'd be a great fit for {{project_name}}. Would you be open to a paid collaboration? If so, could "
        "you share your rates?\n\nBest,\n{{sender_name}}",
    ),
    (
        "Follow-up — gentle bump",
        "en",
        None,
        "Hi {{creator_first_name}}, just bumping this in case it got buried. Any interest? Happy to answer "
        "questions.\n\n{{sender_name}}",
    ),
    (
        "Rates — offer within budget",
        "en",
        None,
        "Thanks {{creator_first_name}}! We can offer {{fee}} for {{deliverable}}, including 30 days of organic "
        "usage. Does that work for you?\n\n{{sender_name}}",
    ),
    (
        "Shipping address request",
        "en",
        None,
        "Great to have you on board, {{creator_first_name}}! What's the best shipping address for the product? "
        "I'll send tracking once it's out.\n\n{{sender_name}}",
    ),
    (
        "Contract sent",
        "en",
        "Your creator agreement",
        "Hi {{creator_name}}, the contract is attached. Please sign by {{deadline}} and I'll countersign the "
        "same day.\n\n{{sender_name}}",
    ),
    (
        "Thanks — post is live",
        "en",
        None,
        "It looks amazing, {{creator_first_name}} — thank you! Payment goes out within 5 business days.\n\n"
        "{{sender_name}}",
    ),
    (
        "Primer contacto — colaboración pagada",
        "es",
        "¿Colaboración con {{project_name}}?",
        "Hola {{creator_first_name}}:\n\nSoy {{sender_name}} de Glowbrook. Nos encanta tu contenido en "
        "{{platform}}. ¿Te interesaría una colaboración pagada? ¿Podrías compartir tus tarifas?\n\nUn saludo,\n"
        "{{sender_name}}",
    ),
    (
        "Seguimiento",
        "es",
        None,
        "Hola {{creator_first_name}}, te escribo de nuevo por si se perdió mi mensaje. ¿Te interesa?\n\n{{sender_name}}",
    ),
    (
        "Primeiro contato — parceria paga",
        "pt",
        "Parceria com {{project_name}}?",
        "Oi {{creator_first_name}}, tudo bem?\n\nSou {{sender_name}}, da Glowbrook. Adoramos seu conteúdo no "
        "{{platform}}. Você toparia uma parceria paga? Pode me mandar seus valores?\n\nAbraço,\n{{sender_name}}",
    ),
    (
        "Follow-up",
        "pt",
        None,
        "Oi {{creator_first_name}}, passando para lembrar da nossa proposta. Tem interesse?\n\n{{sender_name}}",
    ),
    (
        "初回ご連絡（有償タイアップ）",
        "ja",
        "{{project_name}} タイアップのご相談",
        "{{creator_name}}様\n\nはじめまして。Glowbrookの{{sender_name}}と申します。{{platform}}での発信を拝見し、"
        "有償タイアップのご相談でご連絡しました。料金をお知らせいただけますでしょうか。\n\n{{sender_name}}",
    ),
    (
        "リマインド",
        "ja",
        None,
        "{{creator_name}}様\n\n先日のご連絡の件、ご検討いただけましたでしょうか。\n\n{{sender_name}}",
    ),
)

# The one inbound body with a terminal escape (OSC 52 clipboard write) and Rich markup: the TUI must
# show it as inert text.
HOSTILE_BODY = (
    "Hi! Thanks for reaching out \x1b]52;c;ZXZpbA==\x07 — quick question: [bold red]what's the budget?[/bold red] "
    "Also see my media kit [link=https://example.invalid/kit]here[/link] and ping me on \x1b[31mWhatsApp\x1b[0m."
)
