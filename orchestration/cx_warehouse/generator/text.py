"""Phrase banks for survey comments and ticket messages. A comment is one or two phrases of the
sentiment its score calls for, on the topic the customer's experience suggests."""

from __future__ import annotations

import numpy as np

TOPICS = ("delivery", "support", "product", "price")
SENTIMENTS = ("negative", "neutral", "positive")

COMMENTS: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "en": {
        "negative": {
            "delivery": (
                "The delivery was late and nobody told me why.",
                "Package arrived damaged, very disappointing.",
                "Waited two weeks for my order, terrible shipping.",
            ),
            "support": (
                "Support was slow and I had to explain my problem three times.",
                "Nobody answered my emails, awful service.",
                "The agent was rude and the issue is still not fixed.",
            ),
            "product": (
                "The product broke after a week, poor quality.",
                "Not as described, I am disappointed.",
                "Cheap material and it stopped working.",
            ),
            "price": (
                "Too expensive for what you get.",
                "Hidden fees at checkout, feels like a scam.",
                "Prices went up again, not worth it.",
            ),
        },
        "neutral": {
            "delivery": ("Delivery was okay.", "The parcel came on the expected day."),
            "support": ("The agent answered my question.", "Support replied after a day."),
            "product": ("The product does what it should.", "Average quality for the price."),
            "price": ("Prices are similar to other shops.", "Standard prices."),
        },
        "positive": {
            "delivery": ("Fast delivery, great packaging!", "Arrived a day early, excellent."),
            "support": (
                "The agent was very helpful and friendly.",
                "Problem solved quickly, thank you so much!",
                "Great support, easy to reach.",
            ),
            "product": (
                "Love the quality, highly recommend.",
                "Excellent product, works perfectly.",
            ),
            "price": ("Great value for money.", "Good deals and fair prices."),
        },
    },
    "de": {
        "negative": {
            "delivery": (
                "Die Lieferung war zu spät und niemand hat mich informiert.",
                "Paket kam beschädigt an, sehr enttäuschend.",
            ),
            "support": (
                "Der Support war langsam und unfreundlich.",
                "Keine Antwort auf meine Mails, schlechter Service.",
            ),
            "product": (
                "Das Produkt ist nach einer Woche kaputt, schlechte Qualität.",
                "Nicht wie beschrieben, enttäuscht.",
            ),
            "price": ("Viel zu teuer.", "Versteckte Kosten, ärgerlich."),
        },
        "neutral": {
            "delivery": ("Lieferung war in Ordnung.",),
            "support": ("Der Support hat meine Frage beantwortet.",),
            "product": ("Das Produkt erfüllt seinen Zweck.",),
            "price": ("Preise wie überall.",),
        },
        "positive": {
            "delivery": ("Schnelle Lieferung, super!", "Pünktlich und gut verpackt, toll."),
            "support": (
                "Sehr hilfsbereiter und freundlicher Support.",
                "Problem schnell gelöst, vielen Dank!",
            ),
            "product": ("Tolle Qualität, sehr empfehlenswert.",),
            "price": ("Gutes Preis-Leistungs-Verhältnis.",),
        },
    },
    "fr": {
        "negative": {
            "delivery": (
                "La livraison était en retard, très déçu.",
                "Colis arrivé abîmé, inacceptable.",
            ),
            "support": (
                "Le service client est lent et désagréable.",
                "Aucune réponse à mes emails, service horrible.",
            ),
            "product": ("Le produit est cassé après une semaine, mauvaise qualité.",),
            "price": ("Beaucoup trop cher.", "Frais cachés, arnaque."),
        },
        "neutral": {
            "delivery": ("Livraison correcte.",),
            "support": ("Le conseiller a répondu à ma question.",),
            "product": ("Le produit fait ce qu'il faut.",),
            "price": ("Prix habituels.",),
        },
        "positive": {
            "delivery": ("Livraison rapide, parfait !", "Colis bien emballé, excellent."),
            "support": ("Conseiller très aimable et efficace, merci !",),
            "product": ("Produit génial, je recommande.",),
            "price": ("Très bon rapport qualité-prix.",),
        },
    },
    "es": {
        "negative": {
            "delivery": (
                "La entrega llegó tarde, muy decepcionado.",
                "El paquete llegó roto, horrible.",
            ),
            "support": (
                "El soporte fue lento y nadie me ayudó.",
                "Sin respuesta a mis correos, pésimo servicio.",
            ),
            "product": ("El producto se rompió en una semana, mala calidad.",),
            "price": ("Demasiado caro.", "Costes ocultos, una estafa."),
        },
        "neutral": {
            "delivery": ("La entrega fue normal.",),
            "support": ("El agente respondió mi pregunta.",),
            "product": ("El producto cumple.",),
            "price": ("Precios normales.",),
        },
        "positive": {
            "delivery": ("Entrega rápida, genial!", "Llegó antes de lo previsto, excelente."),
            "support": ("Agente muy amable y útil, gracias!",),
            "product": ("Producto excelente, lo recomiendo.",),
            "price": ("Muy buena relación calidad-precio.",),
        },
    },
}

TICKET_SUBJECTS: dict[str, tuple[str, ...]] = {
    "billing": ("Charged twice for my order", "Question about my invoice", "Refund amount wrong"),
    "shipping": ("Where is my order?", "Delivery is late", "Parcel marked delivered but not here"),
    "returns": ("Return label not working", "Refund not received yet", "How do I return an item?"),
    "product": ("Product stopped working", "Missing parts in my package", "Wrong size delivered"),
    "account": ("Cannot log in to my account", "Please update my address", "Delete my account"),
    "technical": ("App crashes at checkout", "Payment page shows an error", "Cannot apply coupon"),
    "feedback": (
        "Suggestion for your shop",
        "Feedback about my last order",
        "Compliment for your team",
    ),
}
TICKET_DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "billing": (
        "I was charged twice for the same order, please refund the extra payment.",
        "The invoice does not match the amount I paid. Can you check?",
    ),
    "shipping": (
        "My order has not arrived yet and the tracking has not changed for days.",
        "The delivery date has passed. Where is my parcel?",
    ),
    "returns": (
        "I sent the item back two weeks ago and still have no refund.",
        "The return label link is broken, I cannot print it.",
    ),
    "product": (
        "The product stopped working after a few days. I would like a replacement.",
        "Some parts were missing from the package.",
    ),
    "account": (
        "I cannot log in, the password reset email never arrives.",
        "Please change the delivery address on my account.",
    ),
    "technical": (
        "The app crashes every time I try to pay.",
        "I get an error on the payment page and cannot finish my order.",
    ),
    "feedback": (
        "I wanted to share some feedback about my recent order.",
        "Just wanted to say thanks, your team was great last time.",
    ),
}
CUSTOMER_REPLIES: dict[str, tuple[str, ...]] = {
    "negative": (
        "This is the third time I write and still no solution. Very frustrating.",
        "Still waiting for an answer, this is unacceptable.",
        "Your answer did not help at all, the problem is not fixed.",
        "Terrible experience, I am really disappointed.",
    ),
    "neutral": (
        "Any update on this?",
        "Here is the information you asked for.",
        "Please see the attached photo.",
    ),
    "positive": (
        "Thanks, that solved it!",
        "Great, thank you for the quick help.",
        "Perfect, thanks a lot for your help.",
    ),
}
AGENT_REPLIES: tuple[str, ...] = (
    "Thanks for reaching out. I have checked your order and will update you shortly.",
    "Thank you for your patience. I have arranged a replacement for you.",
    "I am sorry for the trouble. The refund has been issued and should arrive in 3-5 days.",
    "Thanks for the details. Could you send us a photo of the item?",
    "I have escalated this to our logistics partner and will keep you posted.",
    "Glad I could help. Is there anything else I can do for you?",
)
INTERNAL_NOTES: tuple[str, ...] = (
    "Escalated to logistics.",
    "Customer called twice about this.",
    "Checked payment provider, duplicate charge confirmed.",
    "Waiting for warehouse feedback.",
)


class TextBank:
    """Every generated text in one list; records carry an index into it (-1 for none)."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def add(self, texts: tuple[str, ...] | list[str]) -> np.ndarray:
        first = len(self.texts)
        self.texts.extend(texts)
        return np.arange(first, len(self.texts), dtype=np.int32)


def build_bank() -> tuple[TextBank, dict]:
    """The text bank and, per use, the text ids to draw from."""
    bank = TextBank()
    ids = {
        "subject": {category: bank.add(texts) for category, texts in TICKET_SUBJECTS.items()},
        "description": {
            category: bank.add(texts) for category, texts in TICKET_DESCRIPTIONS.items()
        },
        "customer_reply": {mood: bank.add(texts) for mood, texts in CUSTOMER_REPLIES.items()},
        "agent_reply": bank.add(AGENT_REPLIES),
        "internal_note": bank.add(INTERNAL_NOTES),
        "comment": {
            (language, sentiment, topic): bank.add(COMMENTS[language][sentiment][topic])
            for language in COMMENTS
            for sentiment in SENTIMENTS
            for topic in TOPICS
        },
    }
    return bank, ids
