"""Names and message texts of the synthetic data set, in French and English.

Messages are built from a small vocabulary so that full-text search finds both common words
(``dossier``, ``flight``: in a large share of messages) and rare ones (the words of
``RARE_WORDS``, drawn with falling weights: the last ones appear in a handful of messages).
"""

from __future__ import annotations

import random
import unicodedata


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = {
    "fr": _words(
        "Camille Léa Manon Chloé Inès Sarah Jade Louise Emma Alice Juliette Lucie Zoé Anaïs "
        "Mathilde Claire Pauline Élodie Margaux Céline Nathalie Isabelle Sophie Hélène Agathe "
        "Lucas Hugo Louis Gabriel Arthur Jules Raphaël Nathan Thomas Théo Maxime Antoine "
        "Nicolas Julien Alexandre Baptiste Clément Quentin Romain Mathieu Pierre François "
        "Olivier Laurent Éric Christophe Sébastien Yann Karim Mehdi Youssef Amine Sofiane"
    ),
    "en": _words(
        "Olivia Amelia Isla Ava Emily Sophia Grace Lily Freya Charlotte Ella Poppy Evie Jessica "
        "Hannah Rachel Laura Megan Chloe Katie Sarah Emma Lucy Abigail Alice Harriet "
        "Oliver George Harry Noah Jack Leo Arthur Muhammad Oscar Charlie Jacob Thomas William "
        "James Daniel Samuel Joseph Benjamin Matthew Ryan Connor Liam Ethan Adam Owen David "
        "Michael Andrew Robert Patrick Sean Callum"
    ),
}
LAST_NAMES = {
    "fr": _words(
        "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent "
        "Lefebvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André "
        "Lefèvre Mercier Dupont Lambert Bonnet François Martinez Legrand Garnier Faure Rousseau "
        "Blanc Guérin Muller Henry Roussel Nicolas Perrin Morin Mathieu Clément Gauthier Dumont "
        "Lopez Fontaine Chevalier Robin Masson Sanchez Gérard Nguyen Boyer Denis Lemaire Duval "
        "Joly Gautier Roger Roche Roy Noël Meyer Lucas Meunier Jean Perez Marchand Dufour "
        "Blanchard Marie Barbier Brun Dumas Brunet Schmitt Leroux Colin Fernandez Benali Haddad "
        "Traoré"
    ),
    "en": _words(
        "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans "
        "Walker White Roberts Green Hall Wood Jackson Clarke Patel Khan Lewis James Phillips "
        "Mason Mitchell Rose Davis Rodriguez Cox Alexander Garden Campbell Johnston Moore Smyth "
        "O'Neill Doherty Stewart Quinn Murphy Graham McLaughlin Hamilton Murray Hughes Edwards "
        "Harris Martin Baker Turner Hill Cooper Ward Morris King Harrison Morgan Allen Young "
        "Scott Kelly Bell Anderson Carter Chapman Ellis Bennett Shaw Kennedy Hunt Fox Palmer"
    ),
}

# Rare words: a claimant mentions what they travelled with or for. Drawn with weights 1/rank,
# so the first words are fairly common and the last ones appear in very few messages.
RARE_WORDS = {
    "fr": _words(
        "poussette mariage enterrement séminaire croisière correspondance fauteuil "
        "anniversaire examen entretien concert baptême vendanges violoncelle planche "
        "kitesurf tandem accordéon chihuahua perroquet bonsaï harpe montgolfière "
        "xylophone ornithologue"
    ),
    "en": _words(
        "stroller wedding funeral conference cruise connection wheelchair birthday exam "
        "interview concert christening graduation cello surfboard snowboard tandem bagpipes "
        "dachshund parrot bonsai harp zeppelin marimba ornithologist"
    ),
}
COMMON_WORD = "dossier"  # in most French messages and many English ones (team replies)
RARE_WORD = "ornithologue"  # the last, least likely word of RARE_WORDS["fr"]

_CLAIMANT = {
    "fr": (
        "Bonjour, je voulais savoir où en est mon dossier {ref}.",
        "Avez-vous des nouvelles de {airline} au sujet du vol {flight} ?",
        "Je viens d'ajouter la carte d'embarquement qui manquait au dossier.",
        "Le vol {flight} est arrivé avec plus de {hours} heures de retard, nous avons tout raté.",
        "Merci beaucoup pour votre aide, c'est très rassurant.",
        "La compagnie m'a proposé un bon d'achat, dois-je l'accepter ?",
        "Est-ce que je dois faire autre chose pour mon dossier ?",
        "Je n'ai reçu aucune explication de {airline}, seulement un SMS.",
        "Pouvez-vous me confirmer le montant de {amount} € par passager ?",
        "Nous étions quatre sur ce vol, mes enfants aussi ont droit à une indemnisation ?",
        "J'ai bien reçu le virement, merci encore à toute l'équipe !",
        "Le personnel au sol nous a dit que c'était un problème technique.",
        "Je suis disponible par téléphone si besoin.",
        "Voici la facture de l'hôtel où nous avons dû dormir à {city}.",
    ),
    "en": (
        "Hello, I would like to know where my claim {ref} stands.",
        "Any news from {airline} about flight {flight}?",
        "I have just uploaded the missing boarding pass to the file.",
        "Flight {flight} arrived more than {hours} hours late and we missed everything.",
        "Thank you so much for your help, that is reassuring.",
        "The airline offered me a voucher, should I accept it?",
        "Is there anything else I need to do for my claim?",
        "I never got any explanation from {airline}, only a text message.",
        "Can you confirm the amount of {amount} EUR per passenger?",
        "There were four of us on that flight, are my children entitled too?",
        "I received the payment, thanks again to the whole team!",
        "The ground staff told us it was a technical problem.",
        "I am available by phone if needed.",
        "Here is the invoice for the hotel where we had to stay in {city}.",
    ),
}
_RARE_SENTENCE = {
    "fr": (
        "Nous voyagions avec une {word}, ce qui a tout compliqué.",
        "Nous partions pour un {word} et nous l'avons manqué.",
        "Mon {word} a été très perturbé par ce retard.",
    ),
    "en": (
        "We were travelling with a {word}, which made everything harder.",
        "We were on our way to a {word} and we missed it.",
        "My {word} was badly disrupted by the delay.",
    ),
}
_TEAM = {
    "fr": (
        "Bonjour {first}, nous avons bien reçu votre dossier {ref} et nous l'étudions.",
        "Nous avons transmis votre dossier à {airline}, qui répond en général sous 4 à 8 semaines.",
        "Pourriez-vous nous envoyer la pièce d'identité de chaque passager majeur ?",
        "Bonne nouvelle : {airline} accepte de verser {amount} € par passager.",
        "Le virement a été effectué, il apparaîtra sur votre compte sous trois jours ouvrés.",
        "Nous avons relancé {airline} aujourd'hui, nous revenons vers vous dès que possible.",
        "N'acceptez pas le bon d'achat : il vous ferait renoncer à l'indemnisation en espèces.",
        "Votre dossier est complet, merci ! Il est désormais en cours d'analyse.",
        "Le retard du vol {flight} ouvre bien droit à {amount} € par passager.",
        "Merci pour ce document, nous l'avons ajouté à votre dossier.",
    ),
    "en": (
        "Hello {first}, we have received your claim {ref} and are looking into it.",
        "We have sent your claim to {airline}, who usually answer within 4 to 8 weeks.",
        "Could you send us an identity document for each adult passenger?",
        "Good news: {airline} agrees to pay {amount} EUR per passenger.",
        "The payment has been made and will reach your account within three working days.",
        "We chased {airline} again today and will come back to you as soon as we can.",
        "Please do not accept the voucher: it would waive your right to cash compensation.",
        "Your claim is complete, thank you! It is now being reviewed.",
        "The delay of flight {flight} does give a right to {amount} EUR per passenger.",
        "Thank you for this document, we have added it to your claim file.",
    ),
}
_INTERNAL = (
    "Compagnie relancée par courrier recommandé, AR attendu.",
    "Vérifier le motif invoqué : {airline} parle d'une grève du contrôle aérien.",
    "Client pressé, dossier à traiter en priorité.",
    "Montant confirmé avec le service juridique : {amount} € par passager.",
    "Pièce d'identité floue, redemander une copie lisible.",
    "Internal: airline legal team contact changed, use the new address.",
)
_OPENERS = {"fr": ("", "", "Bonjour, ", "Re : "), "en": ("", "", "Hi, ", "Re: ")}
_CLOSERS = {"fr": ("", "", " Cordialement.", " Merci d'avance."), "en": ("", "", " Regards.")}

USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0 Mobile Safari/537.36",
)

_RARE_WEIGHTS = {
    locale: [1 / rank for rank in range(1, len(words) + 1)] for locale, words in RARE_WORDS.items()
}


def ascii_slug(text: str) -> str:
    """``Élodie O'Neill`` -> ``elodie-oneill``: for email addresses."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join("".join(c for c in part if c.isalnum()) for part in folded.lower().split())


def person_name(rng: random.Random, locale: str) -> tuple[str, str]:
    """(first name, last name) typical of the locale."""
    return rng.choice(FIRST_NAMES[locale]), rng.choice(LAST_NAMES[locale])


def message_text(
    rng: random.Random, *, team: bool, internal: bool, locale: str, facts: dict[str, str]
) -> str:
    """A short message; ``facts`` fills the placeholders (ref, flight, airline, first...)."""
    if internal:
        return rng.choice(_INTERNAL).format(**facts)
    pool = _TEAM[locale] if team else _CLAIMANT[locale]
    count = 1 if rng.random() < 0.6 else 2
    sentences = [s.format(**facts) for s in rng.sample(pool, count)]
    if not team and rng.random() < 0.04:
        word = rng.choices(RARE_WORDS[locale], weights=_RARE_WEIGHTS[locale])[0]
        sentences.append(rng.choice(_RARE_SENTENCE[locale]).format(word=word))
    return rng.choice(_OPENERS[locale]) + " ".join(sentences) + rng.choice(_CLOSERS[locale])
