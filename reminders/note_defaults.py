"""The default note templates, written in each language Rapport ships (issue 22).

Each is written the way people write such a note in that language, not translated word for
word: informal (du, tu, tú, você, je, tu), with the language's own greeting, punctuation
and sign-off. A person's edited templates (UserSettings.note_templates) are theirs and stay
as they wrote them; the kinds they did not edit follow the defaults of their language
(reminders.notes.templates_for). Placeholders are the same in every language
(reminders.notes.PLACEHOLDERS); {duration} is "1 year" / "5 years" in the note's language.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class NoteTemplate:
    subject: str
    body: str


SIGN_OFF = "\n\n{signature}"
NBSP = "\u00a0"  # French puts one before : ! ?

# The sign-off when the person has set none, by language ({name}: their name).
SIGNATURES: dict[str, str] = {
    "en": "All the best,\n{name}",
    "de": "Viele Grüße\n{name}",
    "fr": "Bien amicalement,\n{name}",
    "es": "Un saludo,\n{name}",
    "pt-br": "Abraços,\n{name}",
    "nl": "Hartelijke groet,\n{name}",
    "it": "Un caro saluto,\n{name}",
}

# Kinds are ReminderKind values, plus "introduction" (reminders.notes.INTRODUCTION).
_EN = {
    "job_change": NoteTemplate(
        "Congratulations on the move to {company}",
        "Hi {first_name},\n\nI just saw that you started at {company} as {title}. "
        "Congratulations! I hope the first weeks are going well.",
    ),
    "promotion": NoteTemplate(
        "Congratulations, {title}!",
        "Hi {first_name},\n\nI saw the news that you are now {title} at {company}. "
        "Congratulations, well deserved!",
    ),
    "work_anniversary": NoteTemplate(
        "{duration} at {company}",
        "Hi {first_name},\n\n{duration} at {company} this week: congratulations! "
        "That is quite a run.",
    ),
    "birthday": NoteTemplate(
        "Happy birthday, {first_name}!",
        "Hi {first_name},\n\nHappy birthday! I hope you have a wonderful day.",
    ),
    "keep_in_touch": NoteTemplate(
        "How are you doing?",
        "Hi {first_name},\n\nIt has been a while, so I wanted to say hello. "
        "How are things with you?",
    ),
    "custom": NoteTemplate(
        "Thinking of you",
        "Hi {first_name},\n\nI remembered that {occasion_date} is a special day for you, "
        "so I wanted to send my best.",
    ),
    "introduction": NoteTemplate(
        "Would you like an introduction to {other_name}?",
        "Hi {first_name},\n\nWould you like me to introduce you to {other_name} "
        "({other_context})? I think you two should meet because {reason}. "
        "If you are up for it, I will ask {other_name} too and connect you both only "
        "if you both say yes. No pressure either way.",
    ),
}

_DE = {
    "job_change": NoteTemplate(
        "Glückwunsch zum Start bei {company}",
        "Hallo {first_name},\n\nich habe gerade gesehen, dass du bei {company} als {title} "
        "angefangen hast. Herzlichen Glückwunsch! Ich hoffe, die ersten Wochen laufen gut.",
    ),
    "promotion": NoteTemplate(
        "Glückwunsch, {title}!",
        "Hallo {first_name},\n\nich habe gelesen, dass du jetzt {title} bei {company} bist. "
        "Herzlichen Glückwunsch – das hast du dir wirklich verdient!",  # noqa: RUF001 (German dash)
    ),
    "work_anniversary": NoteTemplate(
        "{duration} bei {company}",
        "Hallo {first_name},\n\ndiese Woche bist du schon {duration} bei {company} – "  # noqa: RUF001
        "herzlichen Glückwunsch! Das ist eine stolze Zeit.",
    ),
    "birthday": NoteTemplate(
        "Alles Gute zum Geburtstag, {first_name}!",
        "Hallo {first_name},\n\nalles Gute zum Geburtstag! Ich wünsche dir einen "
        "wunderschönen Tag.",
    ),
    "keep_in_touch": NoteTemplate(
        "Wie geht es dir?",
        "Hallo {first_name},\n\nwir haben schon länger nichts voneinander gehört, deshalb "
        "wollte ich mich einfach mal melden. Wie läuft es bei dir?",
    ),
    "custom": NoteTemplate(
        "Ich denke an dich",
        "Hallo {first_name},\n\nich weiß, dass der {occasion_date} ein besonderer Tag für "
        "dich ist, und wollte dir einfach alles Gute wünschen.",
    ),
    "introduction": NoteTemplate(
        "Darf ich dich mit {other_name} bekannt machen?",
        "Hallo {first_name},\n\nhättest du Lust, dass ich dich mit {other_name} "
        "({other_context}) bekannt mache? Ich glaube, ihr solltet euch kennenlernen: "
        "{reason}. Wenn du magst, frage ich auch {other_name} und bringe euch nur zusammen, "
        "wenn ihr beide Ja sagt. Ganz ohne Druck.",
    ),
}

_FR = {
    "job_change": NoteTemplate(
        "Félicitations pour ton arrivée chez {company}",
        "Bonjour {first_name},\n\nJe viens de voir que tu as rejoint {company} en tant que "
        f"{{title}}. Félicitations{NBSP}! J'espère que ces premières semaines se passent bien.",
    ),
    "promotion": NoteTemplate(
        f"Félicitations, {{title}}{NBSP}!",
        "Bonjour {first_name},\n\nJ'ai appris que tu es désormais {title} chez {company}. "
        f"Toutes mes félicitations, c'est amplement mérité{NBSP}!",
    ),
    "work_anniversary": NoteTemplate(
        "{duration} chez {company}",
        "Bonjour {first_name},\n\nCela fait {duration} cette semaine que tu es chez "
        f"{{company}}{NBSP}: félicitations{NBSP}! C'est un beau parcours.",
    ),
    "birthday": NoteTemplate(
        f"Joyeux anniversaire, {{first_name}}{NBSP}!",
        f"Bonjour {{first_name}},\n\nJoyeux anniversaire{NBSP}! Je te souhaite une "
        "merveilleuse journée.",
    ),
    "keep_in_touch": NoteTemplate(
        f"Comment vas-tu{NBSP}?",
        "Bonjour {first_name},\n\nCela fait un moment que nous ne nous sommes pas parlé, "
        f"alors je voulais prendre de tes nouvelles. Comment ça va de ton côté{NBSP}?",
    ),
    "custom": NoteTemplate(
        "Je pense à toi",
        "Bonjour {first_name},\n\nJe sais que le {occasion_date} est une date importante "
        "pour toi, alors je t'envoie toutes mes pensées.",
    ),
    "introduction": NoteTemplate(
        f"Veux-tu que je te présente {{other_name}}{NBSP}?",
        "Bonjour {first_name},\n\nAimerais-tu que je te présente {other_name} "
        f"({{other_context}}){NBSP}? Je pense que vous devriez vous rencontrer{NBSP}: "
        "{reason}. Si cela te tente, je poserai aussi la question à {other_name} et je ne "
        "vous mettrai en relation que si vous êtes d'accord tous les deux. Aucune "
        "obligation, bien sûr.",
    ),
}

_ES = {
    "job_change": NoteTemplate(
        "¡Felicidades por tu nuevo puesto en {company}!",
        "Hola, {first_name}:\n\nAcabo de ver que ahora trabajas en {company} como {title}. "
        "¡Felicidades! Espero que las primeras semanas vayan muy bien.",
    ),
    "promotion": NoteTemplate(
        "¡Felicidades, {title}!",
        "Hola, {first_name}:\n\nVi la noticia de que ahora eres {title} en {company}. "
        "¡Felicidades, te lo mereces!",
    ),
    "work_anniversary": NoteTemplate(
        "{duration} en {company}",
        "Hola, {first_name}:\n\nEsta semana cumples {duration} en {company}. ¡Felicidades! "
        "Es toda una trayectoria.",
    ),
    "birthday": NoteTemplate(
        "¡Feliz cumpleaños, {first_name}!",
        "Hola, {first_name}:\n\n¡Feliz cumpleaños! Espero que pases un día estupendo.",
    ),
    "keep_in_touch": NoteTemplate(
        "¿Qué tal te va?",
        "Hola, {first_name}:\n\nHace tiempo que no hablamos y quería saludarte. ¿Cómo te va todo?",
    ),
    "custom": NoteTemplate(
        "Pensando en ti",
        "Hola, {first_name}:\n\nMe acordé de que el {occasion_date} es un día especial para "
        "ti y quería enviarte mis mejores deseos.",
    ),
    "introduction": NoteTemplate(
        "¿Te gustaría que te presentara a {other_name}?",
        "Hola, {first_name}:\n\n¿Te gustaría que te presentara a {other_name} "
        "({other_context})? Creo que valdría la pena que se conocieran: {reason}. Si te "
        "parece bien, también se lo preguntaré a {other_name} y solo haré la presentación "
        "si ambos están de acuerdo. Sin ningún compromiso.",
    ),
}

_PT_BR = {
    "job_change": NoteTemplate(
        "Parabéns pelo novo desafio!",
        "Oi, {first_name}!\n\nAcabei de ver que você começou como {title} em {company}. "
        "Parabéns! Espero que as primeiras semanas estejam sendo ótimas.",
    ),
    "promotion": NoteTemplate(
        "Parabéns, {title}!",
        "Oi, {first_name}!\n\nVi a notícia de que agora você é {title} em {company}. "
        "Parabéns, muito merecido!",
    ),
    "work_anniversary": NoteTemplate(
        "{duration} de {company}",
        "Oi, {first_name}!\n\nEsta semana você completa {duration} em {company}. "
        "Parabéns! Que bela trajetória.",
    ),
    "birthday": NoteTemplate(
        "Feliz aniversário, {first_name}!",
        "Oi, {first_name}!\n\nFeliz aniversário! Espero que o seu dia seja maravilhoso.",
    ),
    "keep_in_touch": NoteTemplate(
        "Como você está?",
        "Oi, {first_name}!\n\nFaz tempo que a gente não se fala, então resolvi dar um oi. "
        "Como andam as coisas por aí?",
    ),
    "custom": NoteTemplate(
        "Lembrei de você",
        "Oi, {first_name}!\n\nLembrei que {occasion_date} é uma data especial para você e "
        "quis mandar um abraço.",
    ),
    "introduction": NoteTemplate(
        "Quer que eu te apresente a {other_name}?",
        "Oi, {first_name}!\n\nVocê gostaria que eu te apresentasse a {other_name} "
        "({other_context})? Acho que vale a pena vocês se conhecerem: {reason}. Se você "
        "topar, pergunto também para {other_name} e só faço a apresentação se os dois "
        "concordarem. Sem compromisso nenhum.",
    ),
}

_NL = {
    "job_change": NoteTemplate(
        "Gefeliciteerd met je nieuwe baan bij {company}",
        "Hoi {first_name},\n\nIk zag net dat je bent begonnen als {title} bij {company}. "
        "Gefeliciteerd! Ik hoop dat de eerste weken goed bevallen.",
    ),
    "promotion": NoteTemplate(
        "Gefeliciteerd, {title}!",
        "Hoi {first_name},\n\nIk las dat je nu {title} bent bij {company}. Gefeliciteerd, "
        "dat heb je verdiend!",
    ),
    "work_anniversary": NoteTemplate(
        "{duration} bij {company}",
        "Hoi {first_name},\n\nDeze week werk je al {duration} bij {company}: gefeliciteerd! "
        "Dat is een mooie mijlpaal.",
    ),
    "birthday": NoteTemplate(
        "Gefeliciteerd met je verjaardag, {first_name}!",
        "Hoi {first_name},\n\nVan harte gefeliciteerd met je verjaardag! Ik wens je een fijne dag.",
    ),
    "keep_in_touch": NoteTemplate(
        "Hoe gaat het met je?",
        "Hoi {first_name},\n\nHet is alweer een tijdje geleden, dus ik wilde even van me "
        "laten horen. Hoe is het met je?",
    ),
    "custom": NoteTemplate(
        "Ik denk aan je",
        "Hoi {first_name},\n\nIk weet dat {occasion_date} een bijzondere dag voor je is, dus "
        "ik wilde je even het allerbeste wensen.",
    ),
    "introduction": NoteTemplate(
        "Zal ik je voorstellen aan {other_name}?",
        "Hoi {first_name},\n\nZou je het leuk vinden als ik je voorstel aan {other_name} "
        "({other_context})? Ik denk dat jullie elkaar eens moeten spreken: {reason}. Als je "
        "ervoor openstaat, vraag ik het {other_name} ook en breng ik jullie alleen met "
        "elkaar in contact als jullie allebei ja zeggen. Je zit nergens aan vast.",
    ),
}

_IT = {
    "job_change": NoteTemplate(
        "Complimenti per il nuovo incarico in {company}",
        "Ciao {first_name},\n\nho appena visto che hai iniziato in {company} come {title}. "
        "Complimenti! Spero che le prime settimane stiano andando bene.",
    ),
    "promotion": NoteTemplate(
        "Complimenti, {title}!",
        "Ciao {first_name},\n\nho letto che ora sei {title} in {company}. Complimenti, te "
        "lo meriti davvero!",
    ),
    "work_anniversary": NoteTemplate(
        "{duration} in {company}",
        "Ciao {first_name},\n\nquesta settimana festeggi {duration} in {company}: "
        "complimenti! È un bel traguardo.",
    ),
    "birthday": NoteTemplate(
        "Buon compleanno, {first_name}!",
        "Ciao {first_name},\n\ntanti auguri di buon compleanno! Ti auguro una splendida giornata.",
    ),
    "keep_in_touch": NoteTemplate(
        "Come stai?",
        "Ciao {first_name},\n\nè da un po' che non ci sentiamo, quindi volevo salutarti. "
        "Come vanno le cose?",
    ),
    "custom": NoteTemplate(
        "Un pensiero per te",
        "Ciao {first_name},\n\nso che il {occasion_date} è un giorno speciale per te, quindi "
        "volevo mandarti i miei migliori auguri.",
    ),
    "introduction": NoteTemplate(
        "Ti va di conoscere {other_name}?",
        "Ciao {first_name},\n\nti andrebbe se ti presentassi {other_name} "
        "({other_context})? Penso che dovreste conoscervi: {reason}. Se ti va, lo chiederò "
        "anche a {other_name} e vi metterò in contatto solo se siete d'accordo entrambi. "
        "Nessun impegno, ovviamente.",
    ),
}

# The same for the personal-touch check as reminders.notes._STOCK in English: the words
# every congratulation uses in each language, which make no note personal.
_STOCK = {
    "de": """hallo hi hey liebe lieber herzlichen herzliche glückwunsch glückwünsche gratuliere
        gratulation alles gute geburtstag viele grüße gruß beste besten wünsche wünsch freue
        freut mich dich dir du ich und zum zur der die das den dem ein eine einen neuen neue
        job stelle start toll super schön wunderbar hoffe tag woche jahr jahre jahren bei als
        dass auf mit von für wie geht gehts danke bis bald sehr wirklich verdient""",
    "fr": """bonjour salut coucou cher chère félicitations bravo joyeux anniversaire bonne bon
        meilleurs voeux amitiés bien amicalement je tu te toi ton ta tes et le la les un une
        des pour avec chez nouveau nouvelle poste travail super génial top belle beau journée
        semaine an ans année espère souhaite merci bises très vraiment mérité""",
    "es": """hola querido querida felicidades enhorabuena feliz cumpleaños saludo saludos un
        abrazo abrazos besos mejores deseos espero que tu te ti y el la los las una para con
        en nuevo nueva puesto trabajo genial día semana año años gracias muy mereces""",
    "pt-br": """oi olá querido querida parabéns feliz aniversário abraço abraços beijos
        felicidades sucesso desejo espero que você te e o a os as um uma para com em no na
        novo nova cargo trabalho ótimo dia semana ano anos obrigado obrigada muito merecido""",
    "nl": """hoi hallo hey beste lieve gefeliciteerd proficiat van harte verjaardag groet
        groeten hartelijke succes wens hoop ik je jij jou en de het een voor met bij nieuwe
        baan functie fijne dag week jaar jaren dank bedankt heel echt verdiend""",
    "it": """ciao caro cara complimenti congratulazioni auguri buon compleanno saluti un
        abbraccio spero ti te tu e il la lo gli le una per con in da nuovo nuova lavoro
        incarico giornata settimana anno anni grazie molto davvero meriti""",
}
STOCK_WORDS_ELSEWHERE = frozenset(word for words in _STOCK.values() for word in words.split())

_BY_LANGUAGE = {"en": _EN, "de": _DE, "fr": _FR, "es": _ES, "pt-br": _PT_BR, "nl": _NL, "it": _IT}

# Language → kind → template, each body ending with the sign-off.
DEFAULTS: dict[str, dict[str, NoteTemplate]] = {
    language: {kind: NoteTemplate(t.subject, t.body + SIGN_OFF) for kind, t in templates.items()}
    for language, templates in _BY_LANGUAGE.items()
}


def defaults_in(language: str) -> dict[str, NoteTemplate]:
    """The default templates of a shipped language (English for any other)."""
    return DEFAULTS.get(language, DEFAULTS["en"])


def signature_in(language: str) -> str:
    return SIGNATURES.get(language, SIGNATURES["en"])
