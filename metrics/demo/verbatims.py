"""Survey comments for the demo: themed, mostly French, with a tone that agrees with the score.

Each comment is an optional opener, one themed sentence and an optional closer of the same tone,
so a few hundred sentences give a few thousand distinct comments. The whole vocabulary is built
once; a row picks its comment by index, which keeps the generator vectorised.
"""

from __future__ import annotations

import itertools
from functools import cache

import numpy as np

from metrics.demo.csvfile import labels

LANGUAGES = ("fr", "en")
TONES = ("negative", "mixed", "positive")  # detractors, passives, promoters
THEMES = (
    "waiting", "price", "network", "fibre_installation", "advisor", "billing", "handoff", "mobile_money",
    "shop",
)

_F, _E = 0, 1
_N, _M, _P = 0, 1, 2

# (language, tone) -> openers and closers; "" means none
OPENERS: dict[tuple[int, int], tuple[str, ...]] = {
    (_F, _N): ("", "Franchement déçu.", "Inadmissible.", "Très mécontent."),
    (_F, _M): ("", "Correct, sans plus.", "Mitigé.", "Bof."),
    (_F, _P): ("", "Très satisfait.", "Rien à redire.", "Parfait !"),
    (_E, _N): ("", "Really disappointed.", "Unacceptable."),
    (_E, _M): ("", "Okay, nothing special.", "Mixed feelings."),
    (_E, _P): ("", "Very happy.", "Spot on."),
}
CLOSERS: dict[tuple[int, int], tuple[str, ...]] = {
    (_F, _N): ("",
               "Je pense sérieusement à changer d’opérateur.",
               "Je vais résilier.",
               "Vraiment lamentable.",
               "Ça me fait mal au cœur de dire ça, je suis client depuis quinze ans."),
    (_F, _M): ("", "Peut mieux faire.", "À améliorer.", "Ça reste correct.", "Ni bien ni mal."),
    (_F, _P): ("", "Merci !", "Je recommande.", "Continuez comme ça.", "Ça met du baume au cœur."),
    (_E, _N): ("", "Thinking of switching provider.", "I'm cancelling."),
    (_E, _M): ("", "Could do better.", "Room for improvement."),
    (_E, _P): ("", "Thanks!", "Would recommend."),
}

# theme -> (language, tone) -> sentences
SENTENCES: dict[str, dict[tuple[int, int], tuple[str, ...]]] = {
    "waiting": {
        (_F, _P): ("Conseiller joignable en moins de deux minutes, c’est rare et appréciable.",
                   "Pas d’attente au téléphone, on m’a répondu tout de suite.",
                   "Rendez-vous tenu à l’heure près, aucune attente."),
        (_F, _M): ("Un peu d’attente au service client, mais le problème a été réglé.",
                   "Vingt minutes d’attente avant d’avoir quelqu’un ; ensuite, rien à dire.",
                   "Délai de réponse correct, sans plus."),
        (_F, _N): ("45 minutes d’attente pour finalement être raccroché au nez.",
                   "Trois semaines pour avoir une réponse, c’est beaucoup trop long.",
                   "La même musique d’attente pendant une demi-heure… insupportable.",
                   "On m’a promis un rappel sous 48 h ; personne ne m’a jamais rappelé."),
        (_E, _P): ("Got through to someone in under two minutes, impressive.",
                   "No waiting at all, my call was answered straight away."),
        (_E, _M): ("Bit of a wait on the phone, but the issue got sorted.", "Waiting time was acceptable."),
        (_E, _N): ("Waited 45 minutes on hold and then got cut off.",
                   "Three weeks to get an answer is far too long."),
    },
    "price": {
        (_F, _P): ("Offre fibre au bon prix, bien moins chère que chez mon ancien opérateur.",
                   "Le conseiller m’a trouvé un forfait moins cher, merci.",
                   "Bon rapport qualité-prix, rien à redire."),
        (_F, _M): ("Prix correct, mais les promotions ne sont que pour les nouveaux clients.",
                   "Tarif un peu élevé pour ce qu’on a.",
                   "Le prix reste raisonnable, même après la hausse."),
        (_F, _N): ("Encore une hausse de tarif sans prévenir, c’est la troisième cette année.",
                   "Trop cher par rapport à la concurrence ; je regarde ailleurs.",
                   "Le prix « promotionnel » a doublé au bout de douze mois.",
                   "Frais de résiliation exorbitants, c’est honteux."),
        (_E, _P): ("Good value for money, cheaper than my previous provider.",
                   "The advisor found me a cheaper plan."),
        (_E, _M): ("Fair price, but the best deals are only for new customers.",
                   "A bit expensive for what you get."),
        (_E, _N): ("Another price increase without notice.",
                   "Far too expensive compared with other operators."),
    },
    "network": {
        (_F, _P): ("Réseau 4G excellent, même à la campagne.",
                   "Très bonne couverture, je capte partout dans la maison.",
                   "Débit au rendez-vous, aucune coupure depuis des mois."),
        (_F, _M): ("Bonne couverture en ville, plus aléatoire en déplacement.",
                   "Le réseau est correct mais coupe parfois le soir.",
                   "Quelques zones blanches sur la route du travail."),
        (_F, _N): ("Aucun réseau chez moi depuis deux semaines.",
                   "Coupures à répétition ; impossible de télétravailler.",
                   "Zone blanche dans tout le village, et personne ne fait rien.",
                   "La 5G annoncée ? Je n’ai même pas la 4G."),
        (_E, _P): ("Excellent 4G coverage, even in the countryside.",
                   "Great signal everywhere in the house."),
        (_E, _M): ("Good coverage in town, patchy on the road.", "Network is fine but drops in the evening."),
        (_E, _N): ("No signal at home for two weeks.", "Constant outages, impossible to work from home."),
    },
    "fibre_installation": {
        (_F, _P): ("Technicien ponctuel, fibre installée en une heure, du travail propre.",
                   "Installation de la fibre rapide et bien expliquée.",
                   "Le technicien a pris le temps de tout configurer, box et décodeur."),
        (_F, _M): ("Fibre installée, mais il a fallu deux passages du technicien.",
                   "Le technicien était bien, le délai pour avoir un rendez-vous beaucoup moins.",
                   "Fibre installée, mais le câble passe au milieu du salon."),
        (_F, _N): ("Trois rendez-vous d’installation annulés, toujours pas de fibre.",
                   "Le technicien n’est jamais venu et personne ne m’a prévenu.",
                   "Installation bâclée : le technicien est reparti sans que la box fonctionne.",
                   'Le sous-traitant m’a dit "ce n’est pas notre problème" et il est parti.'),
        (_E, _P): ("Technician on time, fibre installed in an hour, neat job.",
                   "Quick fibre installation, everything explained."),
        (_E, _M): ("Installation done, but it took two visits.",
                   "Nice technician, but a long wait for an appointment."),
        (_E, _N): ("Three installation appointments cancelled, still no fibre.",
                   "The technician never showed up and nobody called."),
    },
    "advisor": {
        (_F, _P): ("Conseillère très aimable et à l’écoute, problème réglé en un appel.",
                   "Conseiller patient et compétent, merci à lui.",
                   "Accueil chaleureux, on sent qu’ils connaissent leur métier."),
        (_F, _M): ("Conseiller poli, mais qui lisait son script.",
                   "Sympathique, même s’il n’a pas su répondre à tout.",
                   "Accueil correct ; il a fallu insister un peu."),
        (_F, _N): ("Conseiller désagréable qui m’a coupé la parole sans arrêt.",
                   "On m’a parlé comme si j’étais idiot.",
                   "Aucune empathie, on m’a juste dit de rappeler plus tard.",
                   "Le conseiller m’a raccroché au nez ; inacceptable."),
        (_E, _P): ("Very friendly advisor, sorted in one call.",
                   "Patient and knowledgeable advisor, thank you."),
        (_E, _M): ("Polite advisor, but clearly reading from a script.",
                   "Nice enough, though he couldn't answer everything."),
        (_E, _N): ("Rude advisor who kept interrupting me.",
                   "No empathy at all, just told to call back later."),
    },
    "billing": {
        (_F, _P): ("Facture claire, erreur corrigée et remboursée en deux jours.",
                   "Le conseiller m’a bien expliqué ma facture.",
                   "Remboursement reçu rapidement."),
        (_F, _M): ("Erreur de facturation corrigée, mais il a fallu relancer.",
                   "Facture compréhensible, mais l’espace client est peu pratique.",
                   "Avoir accordé, mais après plusieurs semaines."),
        (_F, _N): ("Facturé deux fois ce mois-ci et toujours pas remboursé.",
                   "Des frais « de service » sont apparus sans explication sur ma facture.",
                   "Prélevé après ma résiliation : on se moque de nous.",
                   'Facture incompréhensible ; trois appels, trois réponses, '
                   'et toujours "en cours de traitement".'),
        (_E, _P): ("Clear bill, the error was fixed and refunded within two days.",
                   "The advisor explained my bill clearly."),
        (_E, _M): ("Billing error corrected, but I had to chase it.",
                   "Bill is fine but the online account is clunky."),
        (_E, _N): ("Charged twice this month and still no refund.", "Still being billed after cancelling."),
    },
    "handoff": {
        (_F, _P): ("Une seule personne a tout géré du début à la fin, bravo.",
                   "Le conseiller a fait le lien avec le service technique lui-même.",
                   "Pas besoin de répéter mon problème, le dossier suivait."),
        (_F, _M): ("Transféré deux fois, mais le problème a fini par être réglé.",
                   "Il a fallu réexpliquer ma situation au deuxième conseiller.",
                   "Bon suivi, même si on passe d’un service à l’autre."),
        (_F, _N): ("Baladé d’un service à l’autre ; personne ne se sent responsable.",
                   "Cinq appels, cinq conseillers, et chacun dit que c’est l’autre service.",
                   "Le service technique renvoie vers la facturation, qui renvoie vers le technique…",
                   "On m’a transféré quatre fois avant de couper la communication."),
        (_E, _P): ("One person handled everything from start to finish.",
                   "No need to repeat myself, the case was passed on properly."),
        (_E, _M): ("Transferred twice, but it got sorted in the end.",
                   "Had to explain everything again to the second advisor."),
        (_E, _N): ("Passed from one department to another, nobody takes ownership.",
                   "Five calls, five advisors, each blaming another team."),
    },
    "mobile_money": {
        (_F, _P): ("Transfert d’argent instantané, très pratique pour envoyer à la famille.",
                   "J’ai pu envoyer de l’argent à ma sœur en deux minutes.",
                   "Retrait en point relais simple et rapide."),
        (_F, _M): ("Service mobile money pratique, mais les frais sont élevés.",
                   "Transfert arrivé, mais avec plusieurs heures de retard.",
                   "Application correcte ; le code de confirmation arrive parfois tard."),
        (_F, _N): ("Transfert débité mais jamais reçu par le destinataire.",
                   "Compte mobile money bloqué depuis dix jours sans explication.",
                   "Frais de retrait cachés ; on me l’avait présenté comme gratuit.",
                   "Argent envoyé au mauvais numéro et aucun moyen de le récupérer."),
        (_E, _P): ("Instant money transfer, very handy for sending to family.",
                   "Mobile payments work perfectly."),
        (_E, _M): ("Handy mobile money service, but the fees are high.", "Transfer arrived, but hours late."),
        (_E, _N): ("Money debited but never received.",
                   "Mobile money account blocked for ten days, no explanation."),
    },
    "shop": {
        (_F, _P): ("Boutique accueillante, conseiller disponible tout de suite.",
                   "Super accueil en boutique, mon téléphone a été configuré sur place.",
                   "Vendeuse souriante et de bon conseil."),
        (_F, _M): ("Bon accueil en boutique, mais trop de monde le samedi.",
                   "Conseiller compétent, mais 30 minutes d’attente en magasin.",
                   "Boutique agréable ; le stock de téléphones est limité."),
        (_F, _N): ("Boutique bondée, un seul conseiller pour quinze personnes.",
                   "En boutique, on m’a dit d’appeler le service client ; "
                   "au service client, d’aller en boutique.",
                   "Vendeur pressé qui m’a fait souscrire une option que je n’avais pas demandée.",
                   "Boutique fermée à l’heure d’ouverture affichée."),
        (_E, _P): ("Welcoming shop, an advisor saw me right away.",
                   "Great service in store, my phone was set up on the spot."),
        (_E, _M): ("Friendly shop, but far too busy on Saturdays.",
                   "Knowledgeable staff, but a 30-minute wait in store."),
        (_E, _N): ("Packed shop, one advisor for fifteen people.",
                   "The salesperson added an option I never asked for."),
    },
}


@cache
def vocabulary() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every comment as a ready CSV field, plus the offset and count of each (language, tone, theme) cell."""
    texts: list[str] = []
    offsets: list[int] = []
    counts: list[int] = []
    for lang, tone, theme in itertools.product(range(len(LANGUAGES)), range(len(TONES)), THEMES):
        offsets.append(len(texts))
        combos = itertools.product(OPENERS[lang, tone], SENTENCES[theme][lang, tone], CLOSERS[lang, tone])
        cell_texts = [" ".join(part for part in combo if part) for combo in combos]
        texts += cell_texts
        counts.append(len(cell_texts))
    return labels(texts), np.array(offsets), np.array(counts)


def pick(language: np.ndarray, tone: np.ndarray, theme: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The comment for each row, from its language, tone and theme codes and a uniform draw `u`."""
    texts, offsets, counts = vocabulary()
    cell_index = (language * len(TONES) + tone) * len(THEMES) + theme
    within = np.minimum((u * counts[cell_index]).astype(np.int64), counts[cell_index] - 1)
    return texts[offsets[cell_index] + within]
