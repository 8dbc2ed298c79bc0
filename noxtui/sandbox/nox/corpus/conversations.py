"""What the demo conversations say: each step's text per language, the scripts that string steps
together per coop status, why a thread needs a reply, drafts, and the one hostile body.

Data only, no logic: ``seed_threads.py`` draws from these with the seed's RNG, so their order is
part of the seed. Everything is fictional.
"""

from __future__ import annotations

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
        "ja": (
            "{first}様\n\n先日ご連絡した{brand}様の件、ご検討状況はいかがでしょうか。\n"
            "よろしくお願いいたします。\n\n{rep}",
        ),
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
        "ja": (
            "{rep}様\n\nご連絡ありがとうございます。ぜひ前向きに検討したいです。"
            "ご予算とスケジュールを教えていただけますか？",
        ),
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
        "ja": (
            "{first}様\n\nありがとうございます。{brand}様より、{deliverable}で{fee}のご提案です。"
            "いかがでしょうか。\n\n{rep}",
        ),
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
            "Shipping address:\n{address}\nAttn: {first} {last}\n\n"
            "Can you let me know the tracking number once it's out?",
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
            "Appreciate it, but I'm fully booked through {date} and not taking new sponsors. "
            "Best of luck with the launch!",
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

# The one inbound body with a terminal escape (OSC 52 clipboard write) and Rich markup: the TUI must
# show it as inert text.
HOSTILE_BODY = (
    "Hi! Thanks for reaching out \x1b]52;c;ZXZpbA==\x07 — quick question: [bold red]what's the budget?[/bold red] "
    "Also see my media kit [link=https://example.invalid/kit]here[/link] and ping me on \x1b[31mWhatsApp\x1b[0m."
)
