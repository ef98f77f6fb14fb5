"""Demo data: a small agency's desk around a given day, as interchange JSON.

Eleven clients (French, Turkish, Chinese and English-speaking; one paused,
one archived) with projects, tasks in every column, change requests in every
status, interactions, feedback, risks, milestones, this week's and the past
weeks' time blocks, and the time logged this month and last. Each active
client is written to land on a chosen health (red, amber or green, for a
stated reason), so the overview always shows a mix; the seed varies the
details (which tasks are where, estimates, hours), never that mix.

Everything goes through `import_data`, so the demo also exercises the import.
"""

from __future__ import annotations

import random
import zlib
from typing import Any, Callable

import pendulum

from clientdesk import clock
from clientdesk.domain.changes import Decision
from clientdesk.domain.errors import InputError
from clientdesk.domain.interchange import ImportSummary, import_data
from clientdesk.models import Client

# Blocks and time entries are laid in the user's own zone (clock.local_tz(), the
# planner's): 09:00 in the demo is 09:00 on the grid on any machine.

# One entry per client. Tasks: (title, tags, estimate in minutes). Changes: (title, status, received days ago,
# impact hours, impact days, decision note, description, requested by). Milestones: (name, due in days, done).
# Risks: (title, likelihood, impact, mitigation, status). `health` says what the figures are built to show.
CLIENTS: list[dict[str, Any]] = [
    {
        "name": "Atelier Moreau", "language": "fr", "timezone": "Europe/Paris", "status": "active",
        "contact": "Claire Moreau <claire@ateliermoreau.fr>", "channel": "email", "cadence": 7,
        "rate": 85, "budget": 30, "target": 6, "colour": "#4e79a7", "weight": 1.2,
        "notes": "Cabinet d'architecture d'intérieur, Lyon. Préfère les points courts le mardi matin.",
        "health": "overdue", "plan": 0.9,
        "projects": [
            {
                "name": "Site vitrine", "start": -60, "deadline": 24, "budget_hours": 90, "budget_amount": 7650,
                "scope": "Refonte du site vitrine : 8 pages, galerie de réalisations, formulaire de contact.",
                "tasks": [
                    ("Rédiger la page « À propos »", "writing", 90),
                    ("Maquette de la galerie de projets", "design", 180),
                    ("Intégrer la galerie (lightbox)", "dev", 240),
                    ("Optimiser les images WebP", "dev", 60),
                    ("Textes SEO des pages projets", "writing seo", 120),
                    ("Relecture des mentions légales", "review admin", 30),
                    ("Formulaire de contact + anti-spam", "dev", 120),
                    ("Plan du site et redirections 301", "seo", 60),
                    ("Recette mobile (iOS/Android)", "review", 90),
                ],
                "milestones": [("Maquettes validées", -20, True), ("Mise en ligne", 24, False)],
                "risks": [("Photos des réalisations livrées en retard", 4, 3, "Relancer le photographe ; images provisoires", "open")],
                "changes": [
                    ("Ajouter une version anglaise", "assessing", 2, 18, 6, "",
                     "Traduire et intégrer les 8 pages en anglais.", "Claire Moreau"),
                    ("Page « Presse »", "done", 40, 4, 1, "",
                     "Une page listant les parutions presse.", "Claire Moreau"),
                ],
            },
            {
                "name": "Brochure printemps", "start": -10, "deadline": 45, "budget_hours": 20,
                "scope": "Brochure 12 pages pour le salon Maison&Objet.",
                "tasks": [
                    ("Chemin de fer de la brochure", "design", 90),
                    ("Textes de la brochure", "writing", 180),
                    ("Commande d'impression (devis x3)", "admin", 45),
                ],
                "milestones": [("BAT imprimeur", 38, False)],
                "risks": [],
                "changes": [],
            },
        ],
        "recurring": ("Facture mensuelle", "admin", 30),
        "log": [
            ("call", "Point hebdo : validation des maquettes de la galerie"),
            ("email", "Envoi du lien de préproduction"),
            ("meeting", "Atelier contenu avec Claire et Hugo"),
            ("check-in", "Point d'avancement, photos toujours attendues"),
            ("email", "Relance pour les photos des réalisations"),
        ],
        "feedback": [(4, "Réactif, bonnes propositions"), (4, "Très satisfaite de la galerie")],
    },
    {
        "name": "Boulangerie Lefèvre", "language": "fr", "timezone": "Europe/Paris", "status": "active",
        "contact": "Julien Lefèvre, 06 12 34 56 78", "channel": "phone", "cadence": 14,
        "rate": 65, "budget": 12, "target": 3, "colour": "#f28e2b", "weight": 0.8,
        "notes": "Appeler après 14 h (fournée le matin). Trois boutiques à Nantes.",
        "health": "soon", "plan": 1.0,
        "projects": [
            {
                "name": "Commande en ligne", "start": -35, "deadline": 12, "budget_hours": 40, "budget_amount": 2600,
                "scope": "Click & collect pour les gâteaux sur commande, paiement en ligne.",
                "tasks": [
                    ("Fiches produits des entremets", "writing", 120),
                    ("Créneaux de retrait par boutique", "dev", 180),
                    ("Paiement Stripe en mode test", "dev", 90),
                    ("Photos des vitrines (tri et retouche)", "design", 60),
                    ("Courriel de confirmation de commande", "writing dev", 60),
                    ("Test de bout en bout avec Julien", "review calls", 45),
                ],
                "milestones": [("Ouverture des commandes de Noël", 12, False)],
                "risks": [("Pic de commandes à Noël", 3, 4, "Plafonner les créneaux, file d'attente", "open")],
                "changes": [
                    ("Codes promo fidélité", "rejected", 20, 10, 4, "Hors budget avant Noël ; à revoir en janvier.",
                     "Des codes promo pour les clients fidèles.", "Julien Lefèvre"),
                ],
            },
            {
                "name": "Instagram", "start": -90, "deadline": None, "budget_hours": None,
                "scope": "Deux publications par semaine.",
                "tasks": [
                    ("Calendrier des publications de décembre", "writing", 60),
                    ("Séance photo bûches de Noël", "design", 120),
                ],
                "milestones": [],
                "risks": [],
                "changes": [],
            },
        ],
        "recurring": ("Facture mensuelle", "admin", 20),
        "log": [
            ("call", "Choix des créneaux de retrait"),
            ("call", "Tarifs des entremets confirmés"),
            ("check-in", "Point téléphonique, tout va bien"),
        ],
        "feedback": [(5, "Super travail"), (5, "Toujours disponible")],
    },
    {
        "name": "Yıldız Tekstil", "language": "tr", "timezone": "Europe/Istanbul", "status": "active",
        "contact": "Ayşe Yıldız <ayse@yildiztekstil.com.tr>", "channel": "meeting", "cadence": 7,
        "rate": 80, "budget": 40, "target": 7, "colour": "#e15759", "weight": 1.5,
        "notes": "Bursa. Toplantılar Salı ve Perşembe, İstanbul saatiyle 10:00'dan sonra.",
        "health": "late", "plan": 1.1,
        "projects": [
            {
                "name": "B2B katalog", "start": -75, "deadline": 9, "budget_hours": 120, "budget_amount": 9600,
                "scope": "Bayiler için çevrimiçi kumaş kataloğu: stok, numune talebi, fiyat listesi.",
                "tasks": [
                    ("Ürün veri modelini çıkar", "dev", 120),
                    ("Kumaş fotoğraflarını yükle", "admin", 90),
                    ("Numune talep formu", "dev", 180),
                    ("Fiyat listesi PDF dışa aktarımı", "dev", 150),
                    ("Katalog ana sayfa tasarımı", "design", 240),
                    ("Ürün açıklamalarını düzenle", "writing", 120),
                    ("Bayi giriş ekranı testleri", "review", 60),
                    ("Arama filtreleri (renk, gramaj)", "dev", 180),
                    ("SEO başlıkları ve meta açıklamaları", "seo writing", 90),
                    ("Yayın öncesi kontrol listesi", "review", 45),
                ],
                "milestones": [("Bayi pilotu", -5, True), ("Canlıya geçiş", 9, False)],
                "risks": [
                    ("Stok verisi ERP'den geç geliyor", 4, 4, "Gece senkronu; manuel yedek CSV", "open"),
                    ("Fuar öncesi iş yükü", 3, 3, "Kapsamı dondur, değişiklikleri sıraya al", "open"),
                ],
                "changes": [
                    ("Çoklu dil desteği (EN/DE)", "approved", 12, 24, 7, "Fuar için gerekli; bütçeye eklendi.",
                     "Katalog İngilizce ve Almanca da yayınlansın.", "Ayşe Yıldız"),
                    ("Bayi bazlı özel fiyat", "new", 1, None, None, "",
                     "Her bayi için ayrı iskonto oranı.", "Murat Demir"),
                ],
            },
            {
                "name": "ERP entegrasyonu", "start": -20, "deadline": 50, "budget_hours": 60,
                "scope": "Logo Tiger ile stok ve sipariş senkronu.",
                "tasks": [
                    ("API erişim bilgilerini al", "admin calls", 30),
                    ("Stok senkron betiği", "dev", 240),
                    ("Sipariş aktarım testleri", "review dev", 120),
                ],
                "milestones": [("Senkron testi", 30, False)],
                "risks": [],
                "changes": [],
            },
        ],
        "recurring": ("Aylık fatura", "admin", 30),
        "log": [
            ("meeting", "Bayi pilotu değerlendirme toplantısı"),
            ("email", "Fiyat listesi örneği gönderildi"),
            ("call", "Ayşe Hanım ile fuar takvimi konuşuldu"),
            ("meeting", "Katalog demo, geri bildirimler alındı"),
        ],
        "feedback": [(4, "İyi ilerliyor"), (4, "Toplantılar verimli")],
    },
    {
        "name": "Anadolu Lojistik", "language": "tr", "timezone": "Europe/Istanbul", "status": "active",
        "contact": "Mehmet Kaya (WhatsApp) +90 532 000 00 00", "channel": "chat", "cadence": 10,
        "rate": 75, "budget": 24, "target": 5, "colour": "#76b7b2", "weight": 1.0,
        "notes": "Filo: 140 araç. Kararları genel müdür veriyor, onay biraz sürüyor.",
        "health": "waiting", "plan": 0.8,
        "projects": [
            {
                "name": "Filo takip paneli", "start": -40, "deadline": 35, "budget_hours": 80, "budget_amount": 6000,
                "scope": "Araç konumları, teslimat durumları ve gecikme uyarıları için panel.",
                "tasks": [
                    ("Harita bileşeni (araç konumları)", "dev", 240),
                    ("Gecikme uyarı kuralları", "dev", 120),
                    ("Panel ekran tasarımı", "design", 180),
                    ("Sürücü listesi içe aktarımı", "admin dev", 60),
                    ("Haftalık rapor e-postası", "writing dev", 90),
                    ("Kullanıcı yetkileri", "dev", 120),
                    ("Operasyon ekibiyle kabul testi", "review calls", 90),
                    ("Kullanım kılavuzu", "writing", 120),
                ],
                "milestones": [("İlk demo", -12, True), ("Pilot depo: Gebze", 20, False)],
                "risks": [("GPS cihazlarının veri kalitesi", 3, 4, "Eksik konumları işaretle, tedarikçiye bildir", "open")],
                "changes": [
                    ("Yakıt tüketimi raporu", "assessing", 9, 16, 5, "",
                     "Araç başına aylık yakıt tüketimi grafiği.", "Mehmet Kaya"),
                    ("SMS ile müşteri bildirimi", "rejected", 25, 30, 10, "SMS sağlayıcı sözleşmesi yok; kapsam dışı.",
                     "Teslimat yaklaşınca müşteriye SMS.", "Mehmet Kaya"),
                ],
            },
        ],
        "recurring": ("Aylık fatura", "admin", 30),
        "log": [
            ("chat", "Harita ekranı ekran görüntüleri paylaşıldı"),
            ("call", "Gecikme eşiği 30 dk olarak belirlendi"),
            ("check-in", "Aylık değerlendirme"),
        ],
        "feedback": [(3, "Biraz yavaş başladı"), (4, "Demo çok iyiydi")],
    },
    {
        "name": "Qinghe Tea 青禾茶业", "language": "zh", "timezone": "Asia/Shanghai", "status": "active",
        "contact": "林晓 Lin Xiao (WeChat: linxiao_tea)", "channel": "chat", "cadence": 14,
        "rate": 95, "budget": 20, "target": 4, "colour": "#59a14f", "weight": 1.0,
        "notes": "杭州。时差 7 小时：上午 9 点（巴黎）前沟通最好。",
        "health": "green", "plan": 1.0,
        "projects": [
            {
                "name": "天猫店铺改版", "start": -30, "deadline": 40, "budget_hours": 60, "budget_amount": 5700,
                "scope": "天猫旗舰店首页与详情页改版，突出龙井和白茶系列。",
                "tasks": [
                    ("首页视觉设计", "design", 240),
                    ("龙井详情页文案", "writing", 120),
                    ("白茶礼盒详情页", "design writing", 180),
                    ("双十二活动横幅", "design", 90),
                    ("产品参数表校对", "review", 45),
                    ("店铺导航结构", "design", 60),
                ],
                "milestones": [("首页上线", 18, False)],
                "risks": [("平台审核周期不确定", 2, 3, "提前一周提交素材", "open")],
                "changes": [
                    ("增加短视频模块", "new", 1, None, None, "",
                     "详情页加入 30 秒冲泡视频。", "林晓"),
                    ("英文版详情页", "done", 35, 8, 2, "",
                     "面向海外买家的英文详情页。", "林晓"),
                ],
            },
            {
                "name": "English catalogue", "start": -15, "deadline": 60, "budget_hours": 25,
                "scope": "A 16-page English catalogue for European wholesale buyers.",
                "tasks": [
                    ("Translate tasting notes", "writing", 120),
                    ("Catalogue layout", "design", 180),
                ],
                "milestones": [],
                "risks": [],
                "changes": [],
            },
        ],
        "recurring": ("月度发票", "admin", 20),
        "log": [
            ("chat", "确认首页配色方案"),
            ("call", "视频会议：双十二活动排期"),
            ("email", "Sent the English catalogue outline"),
        ],
        "feedback": [(4, "沟通顺畅"), (5, "设计很有质感")],
    },
    {
        "name": "Northwind Legal LLP", "language": "en", "timezone": "Europe/London", "status": "active",
        "contact": "Priya Shah <p.shah@northwindlegal.co.uk>", "channel": "email", "cadence": 14,
        "rate": 120, "budget": 16, "target": 4, "colour": "#edc948", "weight": 1.1,
        "notes": "London. Every deliverable goes through their compliance team (allow 2 days).",
        "health": "burn_amber", "plan": 0.75,
        "projects": [
            {
                "name": "Client portal", "start": -50, "deadline": 30, "budget_hours": 70, "budget_amount": 8400,
                "scope": "Secure document exchange for clients, with audit trail.",
                "tasks": [
                    ("Document upload with virus scan", "dev", 240),
                    ("Audit trail export", "dev", 120),
                    ("Portal onboarding copy", "writing", 90),
                    ("Accessibility review (WCAG 2.2)", "review", 120),
                    ("Password reset flow", "dev", 90),
                    ("Compliance sign-off pack", "admin writing", 60),
                ],
                "milestones": [("Compliance review", 10, False), ("Go-live", 30, False)],
                "risks": [("Compliance review slips", 3, 4, "Send drafts early; weekly check-in with compliance", "open")],
                "changes": [
                    ("Two-factor by SMS", "approved", 6, 10, 3, "Required by their insurer.",
                     "Add SMS as a second factor.", "Priya Shah"),
                ],
            },
            {
                "name": "GDPR audit", "start": -100, "deadline": -30, "budget_hours": 15, "status": "done",
                "scope": "Cookie and privacy audit of the public site.",
                "tasks": [
                    ("Cookie inventory", "review", 90),
                    ("Privacy notice rewrite", "writing", 120),
                ],
                "milestones": [("Audit report", -35, True)],
                "risks": [],
                "changes": [],
            },
        ],
        "recurring": ("Monthly invoice", "admin", 20),
        "log": [
            ("email", "Sent portal wireframes for compliance"),
            ("call", "Call with Priya: insurer requires 2FA"),
            ("meeting", "Portal demo to the partners"),
        ],
        "feedback": [(4, "Thorough and careful"), (4, "Good documentation")],
    },
    {
        "name": "Hudson & Pike Coffee", "language": "en", "timezone": "America/New_York", "status": "active",
        "contact": "Dana Whitfield <dana@hudsonpike.com>", "channel": "meeting", "cadence": 7,
        "rate": 110, "budget": 32, "target": 7, "colour": "#b07aa1", "weight": 1.3,
        "notes": "Brooklyn roastery. Standup Wednesdays 10:00 New York (16:00 Paris).",
        "health": "burn_red", "plan": 1.0,
        "projects": [
            {
                "name": "Subscription app", "start": -45, "deadline": 20, "budget_hours": 110, "budget_amount": 12100,
                "scope": "Coffee subscription: plans, pauses, gifting, Shopify sync.",
                "tasks": [
                    ("Pause/skip a delivery", "dev", 180),
                    ("Gift subscription checkout", "dev", 240),
                    ("Shopify order sync", "dev", 180),
                    ("Plan picker copy", "writing", 60),
                    ("Subscription emails (5 templates)", "writing design", 150),
                    ("QA pass on iOS Safari", "review", 90),
                    ("Churn survey on cancel", "dev writing", 90),
                    ("Weekly standup notes", "calls admin", 30),
                ],
                "milestones": [("Beta to 50 subscribers", -3, True), ("Public launch", 20, False)],
                "risks": [
                    ("Scope creep from weekly standups", 4, 3, "Route every ask through a change request", "open"),
                    ("Shopify API rate limits", 2, 3, "Batch sync every 15 min", "closed"),
                ],
                "changes": [
                    ("Loyalty points", "new", 2, None, None, "",
                     "Points per bag, redeemable on merch.", "Dana Whitfield"),
                    ("Gift card balance page", "approved", 16, 8, 2, "Small and valuable; approved on the call.",
                     "Let gift recipients check their balance.", "Dana Whitfield"),
                    ("Rewrite in React Native", "rejected", 30, 120, 40, "No benefit for launch; web app stays.",
                     "Native apps for iOS and Android.", "Sam (CTO)"),
                ],
            },
            {
                "name": "Brand refresh", "start": -5, "deadline": 55, "budget_hours": 30,
                "scope": "New bag labels and web typography.",
                "tasks": [
                    ("Label moodboard", "design", 120),
                    ("Type pairing options", "design", 90),
                ],
                "milestones": [],
                "risks": [],
                "changes": [],
            },
        ],
        "recurring": ("Monthly invoice", "admin", 20),
        "log": [
            ("meeting", "Standup: beta feedback, gifting first"),
            ("meeting", "Standup: Shopify sync issues"),
            ("email", "Sent beta release notes"),
            ("meeting", "Standup: gift card balance approved"),
        ],
        "feedback": [(5, "Love the beta"), (3, "Launch feels late; too many meetings")],
    },
    {
        "name": "Kestrel Analytics", "language": "en", "timezone": "Europe/London", "status": "active",
        "contact": "Tom Okafor <tom@kestrel.io>", "channel": "email", "cadence": 21,
        "rate": 100, "budget": 16, "target": 3, "colour": "#ff9da7", "weight": 0.9,
        "notes": "New client (referral from Northwind). Contract signed, no call yet.",
        "health": "never", "plan": 0.5,
        "projects": [
            {
                "name": "Onboarding emails", "start": 0, "deadline": 42, "budget_hours": 24, "budget_amount": 2400,
                "scope": "Seven-email onboarding sequence for trial users.",
                "tasks": [
                    ("Audit current trial funnel", "review", 120),
                    ("Email 1: welcome", "writing", 60),
                    ("Email 2: first dashboard", "writing", 60),
                    ("Email 3: invite your team", "writing", 60),
                    ("Sequence timing in Customer.io", "dev", 90),
                    ("Kick-off call agenda", "calls", 30),
                    ("Subject line A/B plan", "writing seo", 45),
                    ("Send contract countersigned", "admin", 15),
                ],
                "milestones": [("Sequence live", 42, False)],
                "risks": [("No analytics access yet", 3, 2, "Ask for read-only Mixpanel seat", "open")],
                "changes": [],
            },
        ],
        "recurring": None,
        "log": [],
        "feedback": [],
    },
    {
        "name": "Cabinet Dufresne", "language": "fr", "timezone": "Europe/Paris", "status": "active",
        "contact": "Sophie Dufresne <s.dufresne@cabinet-dufresne.fr>", "channel": "email", "cadence": 21,
        "rate": 90, "budget": 10, "target": 3, "colour": "#9c755f", "weight": 1.0,
        "notes": "Expert-comptable, Bordeaux. Période fiscale chargée en avril : rien à livrer alors.",
        "health": "green", "plan": 0.6,
        "projects": [
            {
                "name": "Newsletter fiscale", "start": -120, "deadline": None, "budget_hours": 8,
                "scope": "Newsletter mensuelle pour les clients du cabinet.",
                "tasks": [
                    ("Newsletter de décembre : loi de finances", "writing", 120),
                    ("Mise en page Brevo", "design", 45),
                    ("Relecture par Sophie", "review", 20),
                    ("Newsletter de novembre", "writing", 120),
                ],
                "milestones": [],
                "risks": [],
                "changes": [],
            },
            {
                "name": "Espace client", "start": -25, "deadline": 70, "budget_hours": 35, "budget_amount": 3150,
                "scope": "Dépôt de pièces justificatives par les clients.",
                "tasks": [
                    ("Cahier des charges", "writing", 180),
                    ("Comparatif des solutions (3)", "review", 120),
                    ("Maquette de l'espace de dépôt", "design", 120),
                    ("Réunion de cadrage", "calls", 60),
                ],
                "milestones": [("Choix de la solution", 15, False)],
                "risks": [("Données sensibles (RGPD)", 2, 5, "Hébergement en France, chiffrement", "open")],
                "changes": [
                    ("Signature électronique des lettres de mission", "new", 0, None, None, "",
                     "Intégrer Yousign pour les lettres de mission.", "Sophie Dufresne"),
                ],
            },
        ],
        "recurring": ("Facture mensuelle", "admin", 15),
        "log": [
            ("email", "Envoi de la newsletter de novembre"),
            ("meeting", "Réunion de cadrage de l'espace client"),
        ],
        "feedback": [(5, "Très clair, rien à redire")],
    },
    {
        "name": "Pixel Forge Games", "language": "en", "timezone": "America/New_York", "status": "paused",
        "contact": "Alex Rivera <alex@pixelforge.gg>", "channel": "chat", "cadence": 30,
        "rate": 95, "budget": 10, "target": 0, "colour": "#bab0ac", "weight": 0.5,
        "notes": "Paused until their funding round closes (Q1).",
        "health": "paused", "plan": 0,
        "projects": [
            {
                "name": "Press kit", "start": -80, "deadline": -10, "budget_hours": 20, "status": "paused",
                "scope": "Press kit and Steam page copy for 'Emberfall'.",
                "tasks": [
                    ("Steam page description", "writing", 90),
                    ("Press release draft", "writing", 120),
                    ("Screenshot captions", "writing", 30),
                ],
                "milestones": [],
                "risks": [],
                "changes": [],
            },
        ],
        "recurring": None,
        "log": [("chat", "Project paused until the funding round closes")],
        "feedback": [(4, "Great copy")],
    },
    {
        "name": "Verger Saint-Jean", "language": "fr", "timezone": "Europe/Paris", "status": "archived",
        "contact": "Paul Martin", "channel": "phone", "cadence": 30,
        "rate": 60, "budget": None, "target": None, "colour": "#8cd17d", "weight": 0.5,
        "notes": "Cidrerie. Site livré en juin ; plus de maintenance.",
        "health": "archived", "plan": 0,
        "projects": [
            {
                "name": "Site de la cidrerie", "start": -240, "deadline": -150, "budget_hours": 30, "status": "done",
                "scope": "Site une page avec la carte des points de vente.",
                "tasks": [
                    ("Carte des points de vente", "dev", 120),
                    ("Textes de présentation", "writing", 90),
                ],
                "milestones": [("Mise en ligne", -150, True)],
                "risks": [],
                "changes": [],
            },
        ],
        "recurring": None,
        "log": [("call", "Fin de projet, dernière facture réglée")],
        "feedback": [(5, "Merci pour tout")],
    },
]


def _at(day: pendulum.Date, minutes: int, tz=None) -> pendulum.DateTime:
    """`minutes` after midnight of `day`, in `tz` (default: the user's zone, the planner's)."""
    return pendulum.datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tz=tz or clock.local_tz())


def _iso(moment: pendulum.DateTime) -> str:
    return moment.isoformat()


def _weekdays(start: pendulum.Date, end: pendulum.Date) -> list[pendulum.Date]:
    """Monday-to-Friday days in [start, end)."""
    out, day = [], start
    while day < end:
        if day.weekday() < 5:
            out.append(day)
        day = day.add(days=1)
    return out


#: the demo's clients bill in their own country's currency
_CURRENCY_OF = {"Europe/Paris": "EUR", "Europe/Istanbul": "TRY", "Asia/Shanghai": "CNY", "Europe/London": "GBP",
                "America/New_York": "USD"}

class _Builder:
    def __init__(self, seed: int, today: pendulum.Date, tz=None):
        self.rng = random.Random(seed)
        self.today = today
        self.tz = tz or clock.local_tz()
        self.blocks: list[dict] = []
        self.entries: list[dict] = []
        self.work_tasks: dict[str, list[tuple[str, str, str]]] = {}  # client -> (project, title, tags) open tasks
        self.done_tasks: dict[str, list[tuple[str, str]]] = {}

    def at(self, day: pendulum.Date, minutes: int) -> pendulum.DateTime:
        return _at(day, minutes, self.tz)

    def day(self, offset: int | None) -> str | None:
        return None if offset is None else self.today.add(days=offset).to_date_string()

    # ---- one client
    def client(self, spec: dict) -> dict:
        rng = self.rng
        name = spec["name"]
        self.work_tasks[name] = []
        self.done_tasks[name] = []
        out = {
            "name": name, "status": spec["status"], "contact": spec["contact"], "channel": spec["channel"],
            "checkin_every_days": spec["cadence"], "language": spec["language"], "timezone": spec["timezone"],
            "hourly_rate": spec["rate"], "currency": spec.get("currency") or _CURRENCY_OF.get(spec["timezone"], "EUR"),
            "budget_hours_month": spec["budget"],
            "weekly_target_hours": spec["target"] or None, "weight": spec["weight"], "colour": spec["colour"],
            "notes": spec["notes"], "projects": [], "interactions": [], "feedback": [],
        }
        health = spec["health"]
        projects = []
        overdue_left = {"overdue": 3, "late": 1}.get(health, 0)
        soon_left = 2 if health in ("soon", "overdue") else 0
        for p_index, p in enumerate(spec["projects"]):
            project_status = p.get("status", "active")
            proj = {
                "name": p["name"], "status": project_status, "start": self.day(p["start"]),
                "deadline": self.day(p["deadline"]), "budget_hours": p["budget_hours"],
                "budget_amount": p.get("budget_amount"), "scope": p["scope"],
                "tasks": [], "change_requests": [], "milestones": [], "risks": [],
            }
            titles = list(p["tasks"])
            statuses = self._statuses(len(titles), closed=project_status == "done" or spec["status"] == "archived")
            for (title, tags, est), status in zip(titles, statuses):
                task = self._task(title, tags, est, status, health, project_status, spec)
                if status != "done" and task.get("due"):
                    offset = (pendulum.Date.fromisoformat(task["due"]) - self.today).days
                    if overdue_left and status in ("todo", "doing", "review"):
                        task["due"] = self.day(-rng.randint(1, 9))
                        overdue_left -= 1
                    elif soon_left and status in ("todo", "doing"):
                        task["due"] = self.day(rng.randint(0, 2))
                        soon_left -= 1
                    elif offset < 3 and health not in ("overdue", "late", "soon"):
                        task["due"] = self.day(rng.randint(3, 6))
                proj["tasks"].append(task)
                if status in ("todo", "doing", "review"):
                    self.work_tasks[name].append((p["name"], title, tags))
                elif status == "done":
                    self.done_tasks[name].append((p["name"], title))
            if p_index == 0 and spec.get("recurring") and spec["status"] == "active":
                proj["tasks"].extend(self._recurring(spec["recurring"]))
            for cr in p["changes"]:
                proj["change_requests"].append(self._change(cr, spec, out, proj))
            for m_name, due, done in p["milestones"]:
                proj["milestones"].append({
                    "name": m_name, "due": self.day(due),
                    "done_on": self.day(due - rng.randint(0, 2)) if done else None,
                })
            for title, likelihood, impact, mitigation, status in p["risks"]:
                proj["risks"].append({"title": title, "likelihood": likelihood, "impact": impact,
                                      "mitigation": mitigation, "status": status})
            projects.append(proj)
        out["projects"] = projects
        out["interactions"] = self._log(spec) + out["interactions"]
        out["interactions"].sort(key=lambda i: i["on"])
        out["feedback"] = self._feedback(spec)
        self._time(spec)
        return out

    def _statuses(self, n: int, *, closed: bool) -> list[str]:
        if closed:
            return ["done"] * n
        base = ["done", "todo", "doing", "backlog", "review"]
        weights = {"backlog": 2, "todo": 3, "doing": 2, "review": 1, "done": 2}
        extra = self.rng.choices(list(weights), weights=list(weights.values()), k=max(0, n - len(base)))
        statuses = (base + extra)[:n]
        self.rng.shuffle(statuses)
        return statuses

    def _task(self, title, tags, est, status, health, project_status, spec) -> dict:
        rng = self.rng
        age = rng.randint(3, 50)
        created = self.at(self.today.subtract(days=age), rng.randint(9 * 4, 17 * 4) * 15)
        task: dict[str, Any] = {
            "title": title, "status": status, "priority": rng.choices([1, 2, 3, 4], weights=[1, 3, 4, 2])[0],
            "estimate_minutes": max(15, int(round(est * rng.uniform(0.75, 1.3) / 15)) * 15),
            "tags": tags.split(), "created": _iso(created.in_timezone(spec["timezone"])),
        }
        if status == "done":
            finished = min(self.today.subtract(days=1), self.today.subtract(days=rng.randint(1, max(1, age - 1))))
            done_at = self.at(finished, rng.randint(10 * 4, 18 * 4) * 15)
            task["due"] = self.day(-rng.randint(0, age)) if rng.random() < 0.6 else None
            task["completed"] = _iso(done_at.in_timezone(spec["timezone"]))
            task["updated"] = task["completed"]
        elif status == "backlog":
            task["due"] = self.day(rng.randint(14, 45)) if rng.random() < 0.3 else None
            task["priority"] = max(task["priority"], 3)
        else:
            task["due"] = self.day(rng.choice([3, 4, 5, 6, 8, 10, 13, 17, 21]))
            if spec["status"] == "paused":
                task["due"] = self.day(-rng.randint(10, 30))
        if "updated" not in task:
            touched = self.today.subtract(days=rng.randint(0, min(age, 6)))
            task["updated"] = _iso(max(created, self.at(touched, 9 * 60)).in_timezone(spec["timezone"]))
        return task

    def _recurring(self, recurring) -> list[dict]:
        """The monthly invoice task: last month's done, this month's open (same title, as the app does)."""
        title, tags, est = recurring
        month_end = self.today.end_of("month")
        last_end = self.today.start_of("month").subtract(days=1)
        due_this = month_end if (month_end - self.today).days > 2 else month_end.add(months=1).end_of("month")
        return [
            {"title": title, "status": "done", "priority": 2, "due": last_end.to_date_string(), "estimate_minutes": est,
             "tags": tags.split(), "recurrence": "monthly:last",
             "created": _iso(self.at(last_end.subtract(days=30), 9 * 60)),
             "updated": _iso(self.at(last_end, 17 * 60)), "completed": _iso(self.at(last_end, 17 * 60))},
            {"title": title, "status": "todo", "priority": 2, "due": due_this.to_date_string(), "estimate_minutes": est,
             "tags": tags.split(), "recurrence": "monthly:last",
             "created": _iso(self.at(last_end, 17 * 60)), "updated": _iso(self.at(last_end, 17 * 60))},
        ]

    def _change(self, cr, spec: dict, client: dict, project: dict) -> dict:
        title, status, received, hours, days, note, description, by = cr
        out = {
            "title": title, "description": description, "requested_by": by, "received_on": self.day(-received),
            "status": status, "impact_hours": hours, "impact_days": days,
        }
        if status in ("approved", "rejected", "done"):
            decided = -max(0, received - self.rng.randint(1, 4))
            out["decided_on"] = self.day(decided)
            out["decision_note"] = note
            if status == "rejected":
                summary = Decision("rejected", title, reason=note).summary
            else:
                summary = Decision("approved", title, hours, days, hours * spec["rate"]).summary
                done = status == "done"
                project["tasks"].append({
                    "title": title, "status": "done" if done else "backlog", "priority": 2,
                    "estimate_minutes": max(1, round(hours * 60)), "tags": [], "change_request": title,
                    "created": _iso(self.at(self.today.add(days=decided), 12 * 60)),
                    "updated": _iso(self.at(self.today.add(days=decided + 3 if done else decided), 16 * 60 if done else 12 * 60)),
                    **({"completed": _iso(self.at(self.today.add(days=decided + 3), 16 * 60))} if done else {}),
                })
            client["interactions"].append({"on": self.day(decided), "kind": "decision", "summary": summary,
                                           "change_request": title, "project": project["name"]})
        return out

    def _log(self, spec: dict) -> list[dict]:
        """History of contact: the newest entry sets the check-in (late for one client, none for another)."""
        rng = self.rng
        log = spec["log"]
        if not log:
            return []
        cadence = spec["cadence"]
        if spec["health"] == "late":
            last = cadence + rng.randint(3, 6)
        elif spec["status"] == "archived":
            last = 150
        elif spec["status"] == "paused":
            last = 20
        else:
            last = rng.randint(1, max(1, cadence - 2))
        out = []
        offset = last
        for kind, summary in reversed(log):
            out.append({"on": self.day(-offset), "kind": kind if kind != "chat" else "note", "summary": summary})
            offset += rng.randint(max(2, cadence - 3), cadence + 4)
        return out

    def _feedback(self, spec: dict) -> list[dict]:
        out = []
        n = len(spec["feedback"])
        for i, (score, comment) in enumerate(spec["feedback"]):
            days_ago = 10 + 30 * (n - 1 - i) + self.rng.randint(0, 5)
            out.append({"on": self.day(-days_ago), "score": score, "comment": comment})
        return out

    # ---- time: blocks (planned) and entries (logged)
    def _time(self, spec: dict) -> None:
        rng = self.rng
        name = spec["name"]
        if spec["status"] != "active":
            if spec["status"] == "paused":
                self._entries(name, self.today.start_of("month").subtract(months=1), 0.5 * spec["budget"] * 60, True)
            return
        budget = spec["budget"] or 0
        burn = {"burn_red": rng.uniform(1.08, 1.2), "burn_amber": rng.uniform(0.84, 0.95)}.get(
            spec["health"], rng.uniform(0.3, 0.7))
        month_start = self.today.start_of("month")
        self._entries(name, month_start.subtract(months=1), rng.uniform(0.8, 1.0) * budget * 60, True)
        # The month so far: its burn is reached after three working weeks, less before
        # (on the 1st nothing is logged yet, rather than a month's hours in one day).
        so_far = min(1.0, len(_weekdays(month_start, self.today)) / 15)
        self._entries(name, month_start, burn * budget * 60 * so_far, False)

    def _entries(self, name: str, month_start: pendulum.Date, minutes: float, invoiced: bool) -> None:
        rng = self.rng
        end = min(month_start.add(months=1), self.today)
        days = _weekdays(month_start, end)
        if not days:
            return
        busy_until: dict[pendulum.Date, int] = {}  # a client's entries on one day follow one another
        left = int(round(minutes / 15)) * 15
        tasks = self.work_tasks[name] + [(p, t, "") for p, t in self.done_tasks[name]]
        while left > 0:
            length = min(left, rng.choice([30, 45, 60, 90, 120, 150]))
            day = rng.choice(days)
            entry: dict[str, Any] = {"client": name}
            if tasks and rng.random() < 0.85:
                project, title, _ = rng.choice(tasks)
                entry["project"], entry["task"] = project, title
            start = max(rng.randint(9 * 4, 16 * 4) * 15, busy_until.get(day, 0))
            start = min(start, 24 * 60 - length)
            busy_until[day] = start + length
            entry.update({
                "start": _iso(self.at(day, start)), "minutes": length,
                "billable": rng.random() < 0.9,
            })
            entry["invoiced"] = invoiced and entry["billable"]
            if entry["invoiced"]:
                entry["invoice_ref"] = f"F-{month_start.year}-{month_start.month:02d}-{zlib.crc32(name.encode()) % 90 + 10}"
            self.entries.append(entry)
            left -= length

    def plan_weeks(self, clients: list[dict]) -> None:
        """This week's blocks (with a buffer, batches and two deliberate overlaps) and the two weeks before."""
        monday = self.today.subtract(days=self.today.weekday())
        active = [c for c in clients if c["status"] == "active"]
        for weeks_back in (2, 1, 0):
            self._plan_week(monday.subtract(weeks=weeks_back), active, current=weeks_back == 0)

    def _plan_week(self, monday: pendulum.Date, specs: list[dict], *, current: bool) -> None:
        rng = self.rng
        free = {d: [[9 * 60, 12 * 60 + 30], [13 * 60 + 30, 18 * 60]] for d in range(5)}
        if current:  # keep a buffer late on Tuesday and Thursday
            for d in (1, 3):
                free[d][1][1] = 17 * 60
        demands: list[tuple[dict, int]] = []
        for spec in specs:
            target = (spec["target"] or 0) * 60 * (spec["plan"] if current else rng.uniform(0.7, 1.1))
            left = int(target // 30) * 30
            while left >= 60:
                length = min(left, rng.choice([60, 90, 120, 120, 150]))
                demands.append((spec, length))
                left -= length
        rng.shuffle(demands)
        cursor = 0
        for spec, length in demands:
            for attempt in range(5):
                d = (cursor + attempt) % 5
                slot = next((iv for iv in free[d] if iv[1] - iv[0] >= length), None)
                if slot is not None:
                    start = slot[0]
                    slot[0] += length
                    self._block(spec, monday.add(days=d), start, length)
                    break
            cursor += 1
        if current:
            by_weight = sorted(specs, key=lambda s: -s["weight"])
            for d, spec in zip((1, 3), by_weight):
                self.blocks.append({
                    "client": spec["name"], "start": _iso(self.at(monday.add(days=d), 17 * 60)),
                    "end": _iso(self.at(monday.add(days=d), 18 * 60)), "kind": "buffer",
                    "note": "Buffer: overruns and urgent requests",
                })
            # Two deliberate overlaps: client meetings booked over planned work.
            hudson = next((s for s in specs if s["name"].startswith("Hudson")), specs[0])
            yildiz = next((s for s in specs if s["name"].startswith("Yıldız")), specs[-1])
            self.blocks.append({
                "client": hudson["name"], "start": _iso(self.at(monday.add(days=2), 16 * 60)),
                "end": _iso(self.at(monday.add(days=2), 16 * 60 + 45)), "kind": "meeting", "note": "Weekly standup (video)",
            })
            self.blocks.append({
                "client": yildiz["name"], "start": _iso(self.at(monday.add(days=3), 10 * 60)),
                "end": _iso(self.at(monday.add(days=3), 11 * 60)), "kind": "meeting", "note": "Fuar hazırlık toplantısı",
            })

    def _block(self, spec: dict, day: pendulum.Date, start: int, length: int) -> None:
        rng = self.rng
        block: dict[str, Any] = {"client": spec["name"]}
        work = self.work_tasks.get(spec["name"], [])
        kind, note = "focus", ""
        if work:
            project, title, tags = rng.choice(work)
            tag = tags.split()[0] if tags else ""
            if tag and rng.random() < 0.25:
                kind, note = "batch", f"Batch: {tag}"
            else:
                block["project"], block["task"] = project, title
        block.update({
            "start": _iso(self.at(day, start)), "end": _iso(self.at(day, start + length)), "kind": kind, "note": note,
        })
        self.blocks.append(block)


def demo_data(seed: int = 7, today: pendulum.Date | None = None, tz=None) -> dict:
    """A deterministic interchange dict (same seed, day and zone, same data) of an
    agency's desk around `today`, its hours laid in `tz` (default: the user's zone)."""
    today = today or clock.today()
    builder = _Builder(seed, today, tz)
    clients = [builder.client(spec) for spec in CLIENTS]
    builder.plan_weeks(CLIENTS)
    blocks = sorted(builder.blocks, key=lambda b: (b["start"], b["client"]))
    entries = sorted(builder.entries, key=lambda e: (e["start"], e["client"]))
    return {"version": 1, "clients": clients, "time_blocks": blocks, "time_entries": entries}


def fill_demo(seed: int = 7, today: pendulum.Date | None = None,
              progress: Callable[[int, int], None] | None = None) -> ImportSummary:
    """Import the demo into the open database, which must hold no client yet."""
    if Client.select().exists():
        raise InputError("the database already has data; demo fills an empty one")
    return import_data(demo_data(seed, today or clock.today()), progress=progress)


__all__ = ["CLIENTS", "demo_data", "fill_demo"]
