#!/usr/bin/env python3
"""Deterministic generator of the sample cohorts' forum posts (fictitious).

Per cohort (cohorts.py), reads its roster.csv, profiles.csv and logstore_standard_log.csv from
this folder (2025-2026: the 2025-2026/ sub-folder) and writes forum_posts.csv: a dump of
Moodle's ``forum_posts`` table (with the discussion's forum joined in) whose posts are the
logs' ``post_created`` / ``discussion_created`` events — same post and discussion ids,
authors, seconds and forums — with reply structure, subjects and messages added here (see
README.md, "Forum"). Standard library only; re-running reproduces the file byte for byte.
Usage: python3 data_samples/generate_forum.py [--cohort 2026-2027|2025-2026] [--out DIR]
"""

from __future__ import annotations

import csv
import html
import json
import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from cohorts import HERE, CohortSpec, run_generator
from sample_tables import TZ

HEADER = ["id", "discussion", "parent", "userid", "created", "modified", "mailed", "subject",
          "message", "messageformat", "messagetrust", "attachment", "totalscore", "mailnow",
          "deleted", "privatereplyto", "wordcount", "charcount", "forum"]
MOIS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
        "octobre", "novembre", "décembre"]
TEACHER_LED = 0.5  # share of their replies moved to the teacher's latest discussion
# The cohort's spec says which groups are teacher-centred (students there answer the teacher's
# posts), which students are isolated (post all year, never receive a reply) and which former
# student was erased under the GDPR (posts blanked, deleted = 1), and gives the id ranges.
# Discussions that exist before the logs start (two per forum, as in generate.py).
OPENING = {
    "news": ("Bienvenue dans le M2 Ingénierie de formation",
             "Calendrier des regroupements du premier semestre"),
    "help": ("Questions sur Moodle, le dépôt des travaux, etc.",
             "Questions sur le stage et la convention"),
}
GROUP_OPENING = ("Présentations : qui êtes-vous, d'où venez-vous ?",
                 "Organisation du travail collectif du groupe {g}")
TOPICS = {
    "group": ["Répartition des tâches pour le dossier", "Compte rendu de la séance du {date}",
              "Lettre de mission : vos retours ?", "Analyse des besoins, grille d'entretien",
              "Note de synthèse : plan commun", "Séquence : proposition de scénario",
              "Mémoire, partage de lectures", "Visio de jeudi soir ({date})",
              "Question pour {name} sur son terrain de stage",
              "Relecture du travail de {name} et {other}"],
    "teacher": ["Consignes pour le travail collectif", "Retour sur vos productions du {date}",
                "Point d'étape avant le rendu", "Lectures pour la séance du {date}"],
    "news": ["Rappel : dépôt de la lettre de mission", "Séminaire : documents en ligne",
             "Changement de salle le {date}", "Jury de mi-parcours, calendrier",
             "Permanence de {name} (secrétariat)"],
    "help": ["Problème de dépôt sur Moodle", "Format de la bibliographie, normes APA ?",
             "Question sur la convention de stage", "Accès à la bibliothèque numérique",
             "Quelqu'un a un modèle de \"lettre de mission\" ?"],
}
SENTENCES = {
    "student": [
        "Je propose qu'on se retrouve en visio jeudi à 18 h, ça vous va ?",
        "J'ai relu la partie sur l'analyse des besoins, il manque encore les entretiens.",
        "Pour la grille \"Lettre de mission\", je pense qu'il faut reprendre le critère 3.",
        "Voici le lien vers notre document partagé, commentez directement dedans.",
        "Je m'occupe de l'introduction et de la bibliographie, si personne ne les a prises.",
        "D'accord avec toi, mais attention au calendrier : la date de rendu approche.",
        "Bonne idée ! On pourrait citer l'article vu en séminaire, « les dispositifs hybrides ».",
        "Je serai absente mardi, je vous envoie mes notes ce soir.",
        "Est-ce que quelqu'un a compris la consigne sur le \"retour réflexif\" ?",
        "Mon tuteur de stage m'a donné des exemples, je les dépose ici.",
        "J'ai avancé sur le plan : 1) contexte, 2) besoins, 3) dispositif, 4) évaluation.",
        "Merci, c'est beaucoup plus clair comme ça.",
    ],
    "teacher": [
        "Merci pour ce travail, vous avancez dans la bonne direction.",
        "Attention à bien distinguer objectifs de formation et objectifs pédagogiques.",
        "Pensez à citer vos sources selon les normes APA, cf. le guide du mémoire.",
        "Je vous propose un point en visio la semaine prochaine ; donnez vos disponibilités.",
        "La grille \"Lettre de mission\" est disponible dans l'espace du cours.",
        "Très bonne remarque : qu'en pensent les autres membres du groupe ?",
        "Reprenez la démarche vue en séminaire, étape par étape, et justifiez vos choix.",
    ],
    "news": [
        "Le prochain regroupement aura lieu à Lyon, salle B204, de 9 h à 17 h.",
        "Les documents du séminaire sont en ligne, rubrique \"Séminaires\".",
        "Merci de déposer votre lettre de mission avant le {letter_due}, 23 h 59.",
        "Le secrétariat (Mme Poirier) est joignable le mardi et le jeudi, de 9 h à 12 h.",
        "N'oubliez pas de renseigner vos disponibilités pour les soutenances.",
    ],
    "help": [
        "Il faut d'abord cliquer sur « Ajouter un travail », puis déposer le fichier en PDF.",
        "Le format attendu est celui du guide, 12 pages maximum, annexes non comprises.",
        "La bibliothèque numérique passe par l'ENT, rubrique \"Ressources\".",
        "Même problème chez moi hier soir, ça a marché en vidant le cache du navigateur.",
        "Le secrétariat m'a répondu que la convention doit être signée avant le 15.",
    ],
}


@dataclass
class Person:
    uid: int
    first: str
    full: str
    role: str
    group: str  # students: A-D; teachers: the groups followed, e.g. "AB"
    profile: str


@dataclass
class Post:
    pid: int
    discussion: int
    parent: int
    uid: int
    created: int
    subject: str
    message: str
    forum_cm: int
    deleted: bool = False


@dataclass
class Discussion:
    did: int
    cm: int
    subject: str
    posts: list[Post] = field(default_factory=list)


# Moodle's count_words / count_letters: a space after closing block tags and <br>, tags
# stripped, entities decoded; words are whitespace-separated, letters are non-space characters.
_BLOCK_END = re.compile(
    r"(</(?!(?:a|b|del|em|i|ins|s|small|span|strong|sub|sup|u)>)\w+>|<br\s*/?>)", re.I)
_TAG = re.compile(r"<[^>]*>")


def word_count(message: str) -> int:
    return len(html.unescape(_TAG.sub("", _BLOCK_END.sub(r"\1 ", message))).split())


def char_count(message: str) -> int:
    return len("".join(html.unescape(_TAG.sub("", message)).split()))


def read_people(spec: CohortSpec) -> dict[int, Person]:
    with (spec.out(HERE) / "profiles.csv").open(encoding="utf-8", newline="") as fh:
        profiles = {int(r["user_id"]): r["profile"] for r in csv.DictReader(fh)}
    followed = {uid: groups for uid, _, _, groups in spec.teachers}
    people = {}
    with (spec.out(HERE) / "roster.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            uid = int(r["user_id"])
            people[uid] = Person(uid, r["full_name"].split(" ", 1)[0], r["full_name"], r["role"],
                                 r["group"] or followed.get(uid, ""), profiles[uid])
    return people


def read_log_posts(spec: CohortSpec) -> list[tuple[int, int, str, int, int, int, int | None]]:
    """(ts, log id, kind, user, cmid, object id, discussion id) of the logs' forum posts."""
    out = []
    with (spec.out(HERE) / "logstore_standard_log.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            kind = r["eventname"].rsplit("\\", 1)[1]
            if kind in ("post_created", "discussion_created"):
                other = json.loads(r["other"])
                disc = int(other["discussionid"]) if kind == "post_created" else None
                out.append((int(r["timecreated"]), int(r["id"]), kind, int(r["userid"]),
                            int(r["contextinstanceid"]), int(r["objectid"]), disc))
    return sorted(out)


def local_stamp(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=TZ).timestamp())


class Writer:
    """Subjects and messages: French, HTML, with the names a real forum is full of."""

    def __init__(self, spec: CohortSpec, people: dict[int, Person], rng: random.Random) -> None:
        self.spec, self.people, self.rng = spec, people, rng
        due = spec.deadlines[0][2]  # the mission letter, the first deliverable
        self.letter_due = f"{due.day} {MOIS[due.month - 1]}"

    def mates(self, person: Person) -> list[Person]:
        return [p for p in self.people.values() if p.role == "student" and p.uid != person.uid
                and (p.group in person.group or person.role == "teacher")]

    def subject(self, person: Person, cm: int, ts: int) -> str:
        kind = ("news" if cm == self.spec.news_forum else "help" if cm == self.spec.help_forum
                else "teacher" if person.role == "teacher" else "group")
        mates = self.mates(person) or [person]
        name, other = self.rng.sample(mates, 2) if len(mates) > 1 else (mates[0], mates[0])
        when = datetime.fromtimestamp(ts, TZ)
        return self.rng.choice(TOPICS[kind]).format(
            date=f"{when:%d/%m}", name=name.first, other=other.first)

    def message(self, author: Person, cm: int, to: Person | None) -> str:
        rng = self.rng
        spec = self.spec
        pool = SENTENCES["news" if cm == spec.news_forum else
                         "teacher" if author.role == "teacher" else
                         "help" if cm == spec.help_forum and rng.random() < 0.6 else "student"]
        n = {"low": (1, 2), "teacher": (2, 4)}.get(author.profile, (1, 4))
        body = [s.replace("{letter_due}", self.letter_due)
                for s in rng.sample(pool, rng.randint(*n))]
        mates = self.mates(author)
        if author.role == "student" and rng.random() < 0.3:
            body.insert(0, f"Comme le disait {rng.choice(mates).first}, on n'est pas loin.")
        greeting = (f"Bonjour {to.first}," if to and rng.random() < 0.7 else
                    f"Salut {to.first} !" if to else "Bonjour à toutes et à tous,")
        sign = author.full if author.role == "teacher" or rng.random() < 0.3 else author.first
        parts = [html.escape(p, quote=False) for p in (greeting, *body, sign)]
        if len(parts) > 3 and rng.random() < 0.3:  # a line break inside a paragraph
            parts[1:3] = [parts[1] + "<br>\n" + parts[2]]
        return "\n".join(f"<p>{p}</p>" for p in parts)


class Forum:
    """The discussions in time order; picks each reply's parent by the planted patterns."""

    def __init__(self, spec: CohortSpec, people: dict[int, Person], rng: random.Random) -> None:
        self.spec, self.people, self.rng = spec, people, rng
        self.group_forum = {cm: g for cm, g in zip(spec.group_forums, "ABCD", strict=True)}
        self.writer = Writer(spec, people, rng)
        self.discussions: dict[int, Discussion] = {}
        self.posts: list[Post] = []
        self.moved = {"isolated": 0, "teacher-led": 0}

    def open(self, did: int, cm: int, uid: int, ts: int, subject: str | None = None) -> None:
        author = self.people[uid]
        subject = subject or self.writer.subject(author, cm, ts)
        disc = self.discussions[did] = Discussion(did, cm, subject)
        post = Post(self.spec.first_post_offset + did, did, 0, uid, ts, subject,
                    self.writer.message(author, cm, None), cm)
        disc.posts.append(post)
        self.posts.append(post)

    def candidates(self, disc: Discussion, uid: int, ts: int) -> list[Post]:
        return [p for p in disc.posts if p.uid != uid and p.uid not in self.spec.isolated
                and p.created <= ts]

    def teacher_posts(self, disc: Discussion, ts: int) -> list[Post]:
        return [p for p in disc.posts if p.created <= ts and p.uid in self.people
                and self.people[p.uid].role == "teacher"]

    def parent(self, disc: Discussion, uid: int, ts: int) -> Post:
        found = self.candidates(disc, uid, ts)
        if not found:  # nobody else in the whole forum yet: the author answers themself
            return disc.posts[0]
        teachers = [p for p in found if p.uid in self.people
                    and self.people[p.uid].role == "teacher"]
        author = self.people[uid]
        group, centred = self.group_forum.get(disc.cm), self.spec.teacher_centred
        if (author.role == "student" and group in centred and teachers
                and self.rng.random() < 0.9):
            return teachers[-1]
        if author.role == "teacher":
            students = [p for p in found if p.uid not in (t.uid for t in teachers)]
            found = students or found
        elif group is not None and group not in centred:
            found = [p for p in found if p not in teachers] or found
        weights = [1.0 / (len(found) - i) for i in range(len(found))]  # recent posts first
        return self.rng.choices(found, weights)[0]

    def reply(self, pid: int, did: int, cm: int, uid: int, ts: int) -> None:
        disc = self.discussions[did]
        if not self.candidates(disc, uid, ts):  # only isolated students' or own posts here
            self.moved["isolated"] += 1
            disc = next((d for d in reversed(self.discussions.values())
                         if d.cm == cm and self.candidates(d, uid, ts)), disc)
        elif (self.group_forum.get(cm) in self.spec.teacher_centred
              and self.people[uid].role == "student"
              and not self.teacher_posts(disc, ts) and self.rng.random() < TEACHER_LED):
            led = next((d for d in reversed(self.discussions.values())
                        if d.cm == cm and self.teacher_posts(d, ts)), None)
            if led is not None:  # students gather where the teacher speaks
                self.moved["teacher-led"] += 1
                disc = led
        parent = self.parent(disc, uid, ts)
        to = self.people.get(parent.uid)
        post = Post(pid, disc.did, parent.pid, uid, ts, "Re: " + disc.subject,
                    self.writer.message(self.people[uid], cm, to), cm)
        disc.posts.append(post)
        self.posts.append(post)

    def erased(self, uid: int, pid: int, did: int, ts: int) -> None:
        disc = self.discussions[did]
        post = Post(pid, did, disc.posts[0].pid, uid, ts, "", "", disc.cm, True)
        disc.posts.append(post)
        self.posts.append(post)


def build(spec: CohortSpec, people: dict[int, Person], rng: random.Random) -> Forum:
    forum = Forum(spec, people, rng)
    teacher_of = {g: uid for uid, _, _, groups in spec.teachers for g in groups}
    kinds = {spec.news_forum: "news", spec.help_forum: "help"}
    opening = spec.start - timedelta(days=7)  # the Monday before the programme starts
    for i, cm in enumerate(spec.of_type("forum")):
        group = forum.group_forum.get(cm)
        subjects = OPENING.get(kinds.get(cm, "")) or tuple(
            s.format(g=group) for s in GROUP_OPENING)
        owner = teacher_of[group] if group else (201 if cm == spec.news_forum else 202)
        for k, subject in enumerate(subjects):
            day = f"{opening + timedelta(days=2 * k)} {9 + i:02d}:{15 + 7 * k}:00"
            forum.open(spec.first_discussion + 2 * i + k, cm, owner, local_stamp(day), subject)
    erased = spec.erased_user
    stream = [(ts, 0, "post_created", erased, spec.help_forum, pid, did)
              for pid, did, ts in ((p, d, local_stamp(t)) for p, d, t in spec.erased_posts)]
    for ts, _, kind, uid, cm, oid, did in sorted(read_log_posts(spec) + stream):
        if erased is not None and uid == erased:
            forum.erased(uid, oid, did, ts)
        elif kind == "discussion_created":
            forum.open(oid, cm, uid, ts)
        else:
            forum.reply(oid, did, cm, uid, ts)
    return forum


def check(forum: Forum) -> None:
    """The planted facts hold: ids unique, parents earlier, isolated students never answered."""
    by_id = {p.pid: p for p in forum.posts}
    assert len(by_id) == len(forum.posts), "duplicate post ids"
    for p in forum.posts:
        parent = by_id.get(p.parent)
        assert p.parent == 0 or (parent and parent.created <= p.created), p
        assert not parent or parent.uid not in forum.spec.isolated or parent.uid == p.uid, p


def rows(forum: Forum, rng: random.Random) -> list[list[object]]:
    out = []
    for p in sorted(forum.posts, key=lambda p: p.pid):
        edited = not p.deleted and rng.random() < 0.08
        modified = p.created + rng.randint(60, 1500) if edited else p.created
        attachment = "1" if not p.deleted and rng.random() < 0.03 else ""
        out.append([p.pid, p.discussion, p.parent, p.uid, p.created, modified, 1, p.subject,
                    p.message, 1, 0, attachment, 0, 0, int(p.deleted), 0,
                    word_count(p.message), char_count(p.message),
                    forum.spec.modules[p.forum_cm][1]])
    return out


def generate(spec: CohortSpec, out: Path) -> None:
    """Write one cohort's forum_posts.csv into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(spec.seed + 7)
    forum = build(spec, read_people(spec), rng)
    check(forum)
    table = rows(forum, rng)
    with (out / "forum_posts.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(table)
    moved = ", ".join(f"{n} {why}" for why, n in forum.moved.items())
    print(f"{spec.id}: {len(table)} posts written to {out / 'forum_posts.csv'}; replies moved "
          f"to another discussion than the logs': {moved}")


def main() -> None:
    run_generator(__doc__, generate)


if __name__ == "__main__":
    main()
