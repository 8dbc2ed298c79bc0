"""The workspace's saved reply templates (``templates list``), in four languages.

Data only: ``seed_catalog.py`` inserts them in this order (their ids follow it). ``{{var}}`` is
filled by ``templates use`` from the thread's context (``Store.template_context``).
"""

from __future__ import annotations

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
        "Hola {{creator_first_name}}, te escribo de nuevo por si se perdió mi mensaje. ¿Te interesa?\n\n"
        "{{sender_name}}",
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
