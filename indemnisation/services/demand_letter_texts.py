"""The wording of the demand letter to the airline, by locale.

A legal document template, kept here rather than in the UI catalogs (like the mandate's). The
engine's reasons speak to the claimant ("you reached..."), so the letter states the facts in its
own words and cites, for each step of the verdict, a heading of its own and the reason's legal
reference; only the texts on the airline's stated cause (``circumstance_*``), which speak of
the airline, are quoted as they are.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        "title": "Mise en demeure",
        "representative": "Mandataire des passagers",
        "claims_department": "Service réclamations clients",
        "dated": "Le {date}",
        "subject": (
            "Objet : mise en demeure de payer l'indemnisation due au titre du {regulation} - "
            "vol {flights} du {date} - dossier {reference}"
        ),
        "regulation.EU261": "règlement (CE) n° 261/2004",
        "regulation.UK261": "règlement (CE) n° 261/2004 tel que maintenu au Royaume-Uni (UK261)",
        "salutation": "Madame, Monsieur,",
        "intro": (
            "Nous agissons en qualité de mandataire des passagers désignés ci-dessous, qui nous "
            "ont confié la réclamation de l'indemnisation qui leur est due et le pouvoir d'en "
            "recevoir le paiement. Le mandat signé est joint au présent courrier."
        ),
        "facts_title": "1. Les faits",
        "flight": "Vol {number}",
        "flight_value": "{date}, {departure} - {arrival}",
        "booking": "Réservation",
        "booking.single": "Réservation unique pour l'ensemble du voyage",
        "booking.separate": "Réservations séparées",
        "disruption": "Perturbation",
        "delay": (
            "Retard à l'arrivée du vol {flight} : arrivée prévue {scheduled}, arrivée effective "
            "{actual}, soit {delay} de retard à la destination finale."
        ),
        "moment": "le {day} à {time}",
        "cancellation": (
            "Annulation du vol {flight}, portée à la connaissance des passagers {notice} jour(s) "
            "avant le départ prévu."
        ),
        "rerouted": (
            "Réacheminement proposé : départ {earlier} min plus tôt et arrivée {later} min plus "
            "tard que l'horaire initial."
        ),
        "not_rerouted": "Aucun réacheminement n'a été proposé.",
        "denied_boarding": (
            "Refus d'embarquement opposé aux passagers contre leur volonté sur le vol {flight}."
        ),
        "brought_forward": (
            "Vol {flight} avancé de {minutes} min, changement porté à la connaissance des "
            "passagers {notice} jour(s) avant le départ prévu."
        ),
        "airline_reason": "Motif invoqué par la compagnie",
        "no_reason": "Aucun motif communiqué aux passagers",
        "distance": "Distance orthodromique",
        "legal_title": "2. Fondement juridique",
        "colon": " : ",
        "legal_intro": (
            "Ces faits ouvrent droit à indemnisation en application du {regulation}, pour les "
            "motifs suivants :"
        ),
        "family.scope": "Champ d'application du règlement",
        "family.journey": "Appréciation du voyage",
        "family.distance": "Distance du voyage",
        "family.delay": "Retard de 3 heures ou plus à l'arrivée",
        "family.cancellation": "Annulation",
        "family.brought_forward": "Vol avancé, assimilé à une annulation",
        "family.denied_boarding": "Refus d'embarquement",
        "family.circumstance": "Motif invoqué par la compagnie",
        "family.amount": "Montant de l'indemnisation",
        "family.reduction": "Réduction de l'indemnisation",
        "family.other": "Autre motif",
        "reduced": (
            "Le montant ci-dessous tient déjà compte de la réduction de 50 % prévue à "
            "l'article 7, paragraphe 2, du règlement."
        ),
        "amount_title": "3. Montant réclamé",
        "amount_intro": (
            "Chaque passager a droit à une indemnisation forfaitaire de {amount} (article 7 du "
            "règlement), soit :"
        ),
        "total": "Total",
        "demand_title": "4. Mise en demeure",
        "demand": (
            "En conséquence, nous vous mettons en demeure de verser la somme de {total} dans un "
            "délai de {days} jours à compter de la date du présent courrier, soit au plus tard le "
            "{deadline}, par virement sur le compte ci-dessous, en rappelant la référence "
            "{reference}."
        ),
        "bank.holder": "Titulaire du compte",
        "bank.iban": "IBAN",
        "bank.bic": "BIC",
        "bank.reference": "Référence du virement",
        "consequence": (
            "À défaut de paiement dans ce délai, nous nous réservons le droit de saisir, sans "
            "autre avis, l'organisme national chargé de l'application du règlement, le médiateur "
            "compétent ou la juridiction compétente."
        ),
        "enclosures_title": "Pièce jointe",
        "enclosure_mandate": "Mandat signé électroniquement par {signer} le {date}",
        "enclosure_mandate_plain": "Mandat signé des passagers",
        "closing": (
            "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations "
            "distinguées."
        ),
        "signature": "Pour les passagers, par mandat,",
        "page": "Page {page}/{pages}",
    },
    "en": {
        "title": "Letter before action",
        "representative": "Authorised representative of the passengers",
        "claims_department": "Customer claims department",
        "dated": "{date}",
        "subject": (
            "Re: demand for the compensation due under {regulation} - flight {flights} of "
            "{date} - claim {reference}"
        ),
        "regulation.EU261": "Regulation (EC) No 261/2004",
        "regulation.UK261": "Regulation (EC) No 261/2004 as retained in UK law (UK261)",
        "salutation": "Dear Sir or Madam,",
        "intro": (
            "We act as the authorised representative of the passengers named below, who have "
            "instructed us to claim the compensation due to them and to receive its payment on "
            "their behalf. Their signed authority is enclosed with this letter."
        ),
        "facts_title": "1. The facts",
        "flight": "Flight {number}",
        "flight_value": "{date}, {departure} - {arrival}",
        "booking": "Booking",
        "booking.single": "One booking for the whole journey",
        "booking.separate": "Separate bookings",
        "disruption": "Disruption",
        "delay": (
            "Flight {flight} arrived late: scheduled arrival {scheduled}, actual arrival "
            "{actual}, a delay of {delay} at the final destination."
        ),
        "moment": "on {day} at {time}",
        "cancellation": (
            "Flight {flight} was cancelled; the passengers were informed {notice} day(s) before "
            "the scheduled departure."
        ),
        "rerouted": (
            "Rerouting offered: departing {earlier} min earlier and arriving {later} min later "
            "than originally scheduled."
        ),
        "not_rerouted": "No rerouting was offered.",
        "denied_boarding": (
            "The passengers were denied boarding on flight {flight} against their will."
        ),
        "brought_forward": (
            "Flight {flight} was brought forward by {minutes} min; the passengers were informed "
            "{notice} day(s) before the scheduled departure."
        ),
        "airline_reason": "Reason given by the airline",
        "no_reason": "No reason given to the passengers",
        "distance": "Great-circle distance",
        "legal_title": "2. Legal basis",
        "colon": ": ",
        "legal_intro": (
            "These facts give a right to compensation under {regulation}, on the following grounds:"
        ),
        "family.scope": "Scope of the Regulation",
        "family.journey": "The journey",
        "family.distance": "Distance of the journey",
        "family.delay": "Delay of 3 hours or more on arrival",
        "family.cancellation": "Cancellation",
        "family.brought_forward": "Flight brought forward, treated as a cancellation",
        "family.denied_boarding": "Denied boarding",
        "family.circumstance": "Reason given by the airline",
        "family.amount": "Amount of compensation",
        "family.reduction": "Reduction of the compensation",
        "family.other": "Other ground",
        "reduced": (
            "The amount below already takes into account the 50% reduction provided for in "
            "Article 7(2) of the Regulation."
        ),
        "amount_title": "3. Amount claimed",
        "amount_intro": (
            "Each passenger is entitled to fixed compensation of {amount} (Article 7 of the "
            "Regulation), that is:"
        ),
        "total": "Total",
        "demand_title": "4. Demand for payment",
        "demand": (
            "We therefore demand that you pay the sum of {total} within {days} days of the date "
            "of this letter, that is by {deadline} at the latest, by bank transfer to the account "
            "below, quoting the reference {reference}."
        ),
        "bank.holder": "Account holder",
        "bank.iban": "IBAN",
        "bank.bic": "BIC",
        "bank.reference": "Payment reference",
        "consequence": (
            "Failing payment within this period, we reserve the right to refer the matter, "
            "without further notice, to the national enforcement body, the competent "
            "alternative dispute resolution body or the competent court."
        ),
        "enclosures_title": "Enclosure",
        "enclosure_mandate": "Authority electronically signed by {signer} on {date}",
        "enclosure_mandate_plain": "The passengers' signed authority",
        "closing": "Yours faithfully,",
        "signature": "For the passengers, as their authorised representative,",
        "page": "Page {page}/{pages}",
    },
}

FAMILIES = (
    "scope",
    "journey",
    "distance",
    "delay",
    "cancellation",
    "brought_forward",
    "denied_boarding",
    "boarding",
    "circumstance",
    "amount",
    "reduction",
)
"""Reason code prefixes, in the order a code is matched against them."""

NOT_FOR_THE_AIRLINE = ("time_limit", "reasonable_measures_question", "uk_later_rulings")
"""Reason code prefixes that advise the claimant and have no place in the letter."""


def family_of(code: str) -> str:
    """The heading a reason is cited under: "delay_due" -> "delay"."""
    for family in FAMILIES:
        if code == family or code.startswith(family + "_"):
            return "denied_boarding" if family == "boarding" else family
    return "other"
