"""Event and quote clusters across articles: the rules, incremental assignment as articles are stored,
publications, replacement, rebuilding, listing, and a floor on a real slice of the evaluation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from tacitus.model import Actor, Article, Event, PlaceRef, Quote, Record
from tacitus.store import Store, cluster_words, open_store, quote_rules
from tacitus.store import cluster_rules as rules
from tacitus.store.clusters import assign_events, rebuild

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "clusters.db") as opened:
        yield opened


ACTORS = {
    "USAGOV": ("Donald Trump", "USA", "GOV", "person"),
    "RUSGOV": ("Vladimir Putin", "RUS", "GOV", "person"),
    "CHNGOV": ("Xi Jinping", "CHN", "GOV", "person"),
    "USALEG": ("Congress", "USA", "LEG", "organization"),
}


def make(
    rid: str,
    sentences: list[tuple[str, tuple[str, str | None, str] | None]],
    *,
    published: str = "2018-07-16",
    source: str = "Outlet A",
    quotes: list[tuple[str, str | None, str]] = (),
    event_date: str | None = None,
    place: PlaceRef | None = None,
    period: str | None = None,
    repeated: bool = False,
) -> Record:
    """A record whose sentences each carry at most one event ``(source code, target code, CAMEO code)``;
    ``quotes`` are ``(speaker code or None, speaker name, words)``, each a sentence of its own."""
    text, events, actors, qs = "", [], {}, []

    def actor(code: str | None, name: str | None = None) -> str | None:
        if code is None and name is None:
            return None
        key = code or name
        if key not in actors:
            full, country, sector, kind = ACTORS.get(code, (name, None, None, "person"))
            actors[key] = Actor(f"a{len(actors) + 1}", name or full, code, country, sector, kind)
        return actors[key].id

    for sentence, spec in sentences:
        start = len(text)
        text += sentence + " "
        if spec is None:
            continue
        src, tgt, code = spec
        events.append(
            Event(
                f"e{len(events) + 1}", actor(src), actor(tgt), src, tgt, code, code[:2], 1, 1.0, None,
                date=event_date, place=place, sentence_span=(start, start + len(sentence)), period=period,
                repeated=repeated,
            )
        )  # fmt: skip
    for code, name, words in qs or quotes:
        start = len(text)
        line = f'"{words}," {name or "someone"} said.'
        text += line + " "
        qs.append(
            Quote(
                f"q{len(qs) + 1}", actor(code, name) if (code or name) else None, None, None,
                (start + 1, start + 1 + len(words)),
            )
        )  # fmt: skip
    # every article its own text (a text stored already is the same article, skipped)
    text += f"Filed as {rid}."
    return Record(
        id=rid, text=text, published=published, source=source, url=f"https://example.org/{rid}",
        actors=list(actors.values()), events=events, quotes=qs,
    )  # fmt: skip


def rows(store: Store, table: str) -> list[dict]:
    with store.engine.connect() as connection:
        return [dict(r) for r in connection.execute(sa.text(f"SELECT * FROM {table} ORDER BY pk")).mappings()]


def event_clusters_by_article(store: Store) -> dict[str, list[int | None]]:
    stmt = sa.text(
        "SELECT a.article_id, e.cluster_pk FROM events e JOIN articles a ON a.pk = e.article_pk ORDER BY e.pk"
    )
    found: dict[str, list[int | None]] = {}
    with store.engine.connect() as connection:
        for article_id, cluster_pk in connection.execute(stmt):
            found.setdefault(article_id, []).append(cluster_pk)
    return found


CALL = "Trump and Putin discussed Syria and nuclear arms in a long summit meeting in Helsinki."
CALL_B = "In Helsinki, Trump met Putin for a summit on Syria and nuclear arms control."
OTHER = "The two leaders also talked about the football World Cup that Russia hosted this summer."


# -- the rules ---------------------------------------------------------------------------------------------


def test_country_part_reads_the_country_block_and_leaves_unnamed_actors_unknown() -> None:
    assert rules.country_part("USAGOV") == "USA"
    assert rules.country_part("rus") == "RUS"
    assert rules.country_part("---GOV") is None
    assert rules.country_part(None) is None
    assert rules.country_part("") is None


def test_iso_day_takes_full_days_only() -> None:
    assert rules.iso_day("2018-07-16") == date(2018, 7, 16)
    assert rules.iso_day("2018-07-16T09:00:00+00:00") == date(2018, 7, 16)
    # a month or a week cannot place a mention within a window of days
    assert rules.iso_day("2018-07") is None
    assert rules.iso_day("2018-W29") is None
    assert rules.iso_day("2018-02-30") is None


def test_km_between_known_cities() -> None:
    # Helsinki to Moscow is about 893 km; to itself 0
    assert rules.km_between(60.17, 24.94, 55.75, 37.62) == pytest.approx(893, abs=10)
    assert rules.km_between(60.17, 24.94, 60.17, 24.94) == 0


def _mention(**kw) -> rules.Mention:
    base = dict(pk=1, article_pk=1, root="04", code="040", source_country="USA", target_country="RUS",
                negated=False, day=date(2018, 7, 16), words=cluster_words.content_words(CALL))  # fmt: skip
    return rules.Mention(**{**base, **kw})


def test_event_score_needs_key_window_place_and_shared_words() -> None:
    a = _mention()
    b = _mention(pk=2, article_pk=2, words=cluster_words.content_words(CALL_B))
    assert rules.event_score(a, b) is not None
    assert rules.event_score(a, _mention(pk=2, article_pk=2, target_country="CHN")) is None
    # one actor unknown in one outlet's sentence is compatible; a country switching sides is not
    assert rules.event_score(a, _mention(pk=2, article_pk=2, target_country=None)) is not None
    mirrored = _mention(source_country=None, target_country="USA")
    assert rules.event_score(_mention(target_country=None), mirrored) is None
    # another root: one event only when both name the same two countries in near-same words
    assert rules.event_score(a, _mention(pk=2, article_pk=2, root="05", code="057")) is not None
    # words that would do for the same root (0.54) are too few for another (at least 0.6)
    nearby = cluster_words.content_words("Trump told Putin that the summit should produce progress on Syria.")
    assert rules.event_score(a, _mention(pk=2, article_pk=2, words=nearby)) is not None
    assert rules.event_score(a, _mention(pk=2, article_pk=2, root="05", code="057", words=nearby)) is None
    assert rules.event_score(_mention(target_country=None), _mention(pk=2, article_pk=2, root="05")) is None
    # two mentions of one article are two events (MERGE_SAME_ARTICLE is off) unless told in like words
    # (SAME_ARTICLE_SIMILARITY: "nearby" shares 0.54 of its weight, OTHER nothing) and neither is a caption
    assert rules.event_score(a, _mention(pk=2, words=cluster_words.content_words(OTHER))) is None
    assert rules.event_score(a, _mention(pk=2, words=nearby)) is not None
    assert rules.event_score(a, _mention(pk=2, words=cluster_words.content_words(CALL_B))) is not None
    assert (
        rules.event_score(a, _mention(pk=2, words=cluster_words.content_words(CALL_B), caption=True)) is None
    )
    assert rules.event_score(a, _mention(pk=2, article_pk=2, negated=True)) is None
    far = date(2018, 7, 16 + rules.EVENT_WINDOW_DAYS + 1)
    assert rules.event_score(a, _mention(pk=2, article_pk=2, day=far)) is None
    assert rules.event_score(a, _mention(pk=2, article_pk=2, day=None)) is None
    other = _mention(
        pk=2, article_pk=2, words=cluster_words.content_words("Ministers argued over fishing quotas.")
    )
    assert rules.event_score(a, other) is None
    # two countries, or two places farther apart than the cap, are two events
    there = dict(place_country="FIN", lat=60.17, lon=24.94)
    assert rules.event_score(_mention(**there), _mention(pk=2, article_pk=2, place_country="RUS")) is None
    moscow = dict(place_country="FIN", lat=55.75, lon=37.62)
    assert rules.event_score(_mention(**there), _mention(pk=2, article_pk=2, **moscow)) is None
    assert rules.event_score(_mention(**there), _mention(pk=2, article_pk=2)) is not None


def test_same_full_actor_codes_need_fewer_shared_words() -> None:
    # "Obama arrived in Israel" told twice: the same root and country dyad, few words in common
    words_a = cluster_words.content_words("Obama landed at Ben Gurion airport on Wednesday afternoon.")
    words_b = cluster_words.content_words("Obama landed near Tel Aviv for a three-day stay.")
    # the same code: the score is the share of weight carried by shared words plus the bonus
    score = cluster_words.weighted_overlap(words_a, words_b) + rules.SAME_CODE_BONUS
    assert rules.SAME_ACTORS_SIMILARITY <= score < rules.MIN_EVENT_SIMILARITY
    a = _mention(words=words_a, source_code="USAGOV", target_code="ISR")
    b = _mention(pk=2, article_pk=2, words=words_b, source_code="USAGOV", target_code="ISR")
    assert rules.same_actors(a, b)
    assert rules.event_score(a, b) == pytest.approx(score)
    # the same countries with another sector, or two unknown actors, are not the same participants
    other_sector = _mention(pk=2, article_pk=2, words=words_b, source_code="USAMIL", target_code="ISR")
    assert not rules.same_actors(a, other_sector)
    assert rules.event_score(a, other_sector) is None
    unknown = dict(source_country=None, target_country=None, source_code=None, target_code=None)
    assert not rules.same_actors(_mention(**unknown), _mention(pk=2, article_pk=2, **unknown))
    # two articles telling the same story (near-same story terms) need as few words, whoever the actors
    visit = cluster_words.story_terms("Obama lands in Israel", "Obama landed in Israel for his first visit.")
    assert cluster_words.story_similarity(visit, visit) >= rules.SAME_STORY
    c = _mention(words=words_a, story=visit)
    assert rules.event_score(c, _mention(pk=2, article_pk=2, words=words_b, story=visit)) == pytest.approx(
        score
    )
    assert rules.event_score(c, _mention(pk=2, article_pk=2, words=words_b)) is None


def test_story_terms_weigh_distinctive_words_and_compare_stories() -> None:
    summit = cluster_words.story_terms("Trump meets Putin in Helsinki", CALL + " " + CALL_B)
    summit_b = cluster_words.story_terms("Helsinki summit: Trump and Putin talk Syria", CALL_B)
    cup = cluster_words.story_terms(
        "France wins the World Cup", "France beat Croatia in the football World Cup final."
    )
    assert len(summit) <= cluster_words.STORY_TERMS
    assert sum(v * v for v in summit.values()) == pytest.approx(1.0)
    # "helsinki" (rare, in the title) outweighs "talked" (a stop word, left out)
    assert summit["helsinki"] > summit.get("syria", 0)
    assert "the" not in summit
    assert cluster_words.story_similarity(summit, summit_b) > 0.5
    assert cluster_words.story_similarity(summit, cup) < rules.OTHER_STORY
    assert cluster_words.story_similarity(summit, None) is None
    assert cluster_words.decode_terms(cluster_words.encode_terms(summit)) == pytest.approx(summit, abs=1e-4)
    assert cluster_words.decode_terms(None) is None


def test_articles_of_other_stories_need_near_same_sentences() -> None:
    summit = cluster_words.story_terms("Trump meets Putin in Helsinki", CALL)
    cup = cluster_words.story_terms(
        "France wins the World Cup", "France beat Croatia in the World Cup final."
    )
    a = _mention(story=summit)
    nearby = cluster_words.content_words("Trump told Putin that the summit should produce progress on Syria.")
    b = _mention(pk=2, article_pk=2, words=nearby, story=summit)
    shared = cluster_words.weighted_overlap(a.words, b.words)
    assert shared < rules.OTHER_STORY_SIMILARITY
    assert rules.event_score(a, b) is not None
    assert rules.event_score(a, _mention(pk=2, article_pk=2, words=b.words, story=cup)) is None
    # the same sentence in an article about another story is still the event it recalls
    assert rules.event_score(a, _mention(pk=2, article_pk=2, story=cup)) is not None
    # an article stored before its story was kept (None) is judged on its sentences alone
    assert rules.event_score(a, _mention(pk=2, article_pk=2, words=b.words)) is not None


def test_another_root_is_one_event_only_between_the_same_two_known_countries() -> None:
    summit = cluster_words.story_terms("Trump meets Putin in Helsinki", CALL)
    a = _mention(story=summit)  # 040, USA -> RUS
    # 057 with the target left unknown: not the same two known countries, and one story is not enough,
    # however many words the sentences share (on BASIL that rule joined only two acts of one story)
    b = dict(pk=2, article_pk=2, root="05", code="057", target_country=None)
    assert rules.event_score(a, _mention(**b, story=summit)) is None
    assert not rules.keys_compatible(a, _mention(**b))
    # the same two countries: another root, in near-same words, is the same event ("will endorse", "endorsed")
    dyad = _mention(pk=2, article_pk=2, root="05", code="057", story=summit)
    assert rules.keys_compatible(a, dyad)
    assert rules.event_match(a, dyad) == (pytest.approx(1.0), "cross-root")
    # another QuadClass between the same two countries still needs the words
    material = _mention(pk=2, article_pk=2, root="19", code="190", words=cluster_words.content_words(OTHER))
    assert rules.keys_compatible(a, material) and rules.event_score(a, material) is None


def test_nearer_day_scores_higher_for_the_same_words() -> None:
    a = _mention()
    same_day = _mention(pk=2, article_pk=2)
    next_day = _mention(pk=3, article_pk=3, day=date(2018, 7, 17))
    assert rules.event_score(a, same_day) > rules.event_score(a, next_day)


def test_speaker_key_and_names() -> None:
    assert quote_rules.speaker_key("usagov", "Donald Trump") == "USAGOV"
    assert quote_rules.speaker_key(None, "Sen. Élizabeth Warren") == "elizabeth warren"
    assert quote_rules.speaker_key(None, None) is None
    assert quote_rules.names_compatible("Vladimir Putin", "Mr. Putin")
    assert quote_rules.names_compatible(None, "Mr. Putin")
    assert not quote_rules.names_compatible("Mike Pompeo", "John Bolton")


def test_quote_score_takes_trimmed_quotes_and_leaves_short_ones() -> None:
    def q(pk: int, words: str, name: str = "Donald Trump") -> quote_rules.QuoteMention:
        return quote_rules.QuoteMention(
            pk, pk, "USAGOV", name, date(2018, 7, 16), quote_rules.quote_words(words)
        )

    full = q(1, "We had a very good meeting and we will meet again soon in Washington")
    trimmed = q(2, "we had a very good meeting and we will meet again")
    assert quote_rules.quote_score(trimmed, full) == 1.0
    assert quote_rules.quote_score(q(3, "The tariffs on steel will stay in place for now"), full) is None
    assert quote_rules.quote_score(q(4, "No."), q(5, "No.")) is None
    # a fragment of 3 or 4 words is one quotation with the same words printed within a day, never with a
    # longer quotation holding them, nor with the same words a week later
    alert = q(8, "to leave Iraq immediately")
    assert quote_rules.quote_score(alert, q(9, "to leave Iraq “immediately")) == 1.0
    assert (
        quote_rules.quote_score(alert, q(10, "Americans were told to leave Iraq immediately by air")) is None
    )
    later = quote_rules.QuoteMention(11, 11, "USAGOV", "Donald Trump", date(2018, 7, 23), alert.words)
    assert quote_rules.quote_score(alert, later) is None
    # one named person's line retold within days needs 0.7 of its words, not 0.8; a code alone keeps 0.8
    told = q(12, "the United States would stop military exercises with South Korea while the talks go on")
    retold = q(13, "the United States would end the joint exercises with South Korea during talks")
    assert 0.7 <= quote_rules.overlap(told.words, retold.words) < 0.8
    assert quote_rules.quote_score(told, retold) is not None
    unnamed = [
        quote_rules.QuoteMention(p, p, "USAGOV", None, date(2018, 7, 16), m.words)
        for p, m in ((16, told), (17, retold))
    ]
    assert quote_rules.quote_score(*unnamed) is None
    weeks = quote_rules.QuoteMention(18, 18, "USAGOV", "Donald Trump", date(2018, 8, 16), retold.words)
    assert quote_rules.quote_score(told, weeks) is None
    assert quote_rules.quote_score(q(6, full_words := "We had a very good meeting", "Mike Pompeo"),
                             q(7, full_words)) is None  # fmt: skip


# -- incremental assignment -----------------------------------------------------------------------------


def test_one_event_reported_by_two_outlets_is_one_cluster(store: Store) -> None:
    store.write(make("a", [(CALL, ("USAGOV", "RUSGOV", "040"))], source="Outlet A"))
    store.write(make("b", [(CALL_B, ("USAGOV", "RUSGOV", "043"))], source="Outlet B", published="2018-07-17"))
    clusters = rows(store, "event_clusters")
    assert len(clusters) == 1
    c = clusters[0]
    assert (c["n_mentions"], c["n_articles"], c["n_sources"]) == (2, 2, 2)
    # the representative is the first stored: its code, its actors, its event
    assert (c["code"], c["root"], c["source_code"], c["target_code"]) == ("040", "04", "USAGOV", "RUSGOV")
    assert (c["source_country"], c["target_country"]) == ("USA", "RUS")
    assert c["event_pk"] == rows(store, "events")[0]["pk"]
    assert (c["day"], c["last_day"]) == ("2018-07-16", "2018-07-17")
    assert c["added_at"]
    assert event_clusters_by_article(store) == {"a": [c["pk"]], "b": [c["pk"]]}


def test_other_words_another_dyad_or_a_later_week_start_new_clusters(store: Store) -> None:
    store.write(make("a", [(CALL, ("USAGOV", "RUSGOV", "040"))]))
    store.write(make("b", [(OTHER, ("USAGOV", "RUSGOV", "040"))], source="Outlet B"))
    store.write(make("c", [(CALL, ("USAGOV", "CHNGOV", "040"))], source="Outlet C"))
    store.write(make("d", [(CALL, ("USAGOV", "RUSGOV", "040"))], source="Outlet D", published="2018-07-30"))
    by_article = event_clusters_by_article(store)
    assert len({pk for pks in by_article.values() for pk in pks}) == 4
    assert all(c["n_mentions"] == 1 for c in rows(store, "event_clusters"))


def test_an_event_dated_in_its_clause_is_matched_by_that_day(store: Store) -> None:
    store.write(make("a", [(CALL, ("USAGOV", "RUSGOV", "040"))], published="2018-07-16"))
    # a weekly's report a fortnight later, but the clause dates the summit: the same event
    store.write(make("b", [(CALL_B, ("USAGOV", "RUSGOV", "040"))], published="2018-07-30",
                     event_date="2018-07-16", source="Outlet B"))  # fmt: skip
    assert len(rows(store, "event_clusters")) == 1


def test_a_period_of_the_events_clause_keeps_it_from_other_days() -> None:
    # "in 2007": years from a report of 2018, whatever the words; "last week" meets any day of that week
    week = (date(2018, 7, 9), date(2018, 7, 15))
    a = _mention()  # 2018-07-16
    b = dict(pk=2, article_pk=2, words=cluster_words.content_words(CALL_B))
    assert rules.event_score(a, _mention(**b, period=(date(2007, 1, 1), date(2007, 12, 31)))) is None
    assert rules.day_gap(a, _mention(**b, period=week)) == 1
    assert rules.event_score(a, _mention(**b, period=week)) is not None
    assert rules.day_gap(_mention(day=date(2018, 7, 11)), _mention(**b, period=week)) == 0
    assert rules.event_score(_mention(day=date(2018, 7, 25)), _mention(**b, period=week)) is None
    # against an undated mention (its article's day only), the two articles' days are compared
    undated = _mention(dated=False)
    assert (
        rules.event_score(undated, _mention(**b, period=(date(2007, 1, 1), date(2007, 12, 31)))) is not None
    )
    assert rules.day_gap(_mention(day=date(2018, 7, 25), dated=False), _mention(**b, period=week)) == 9
    # two periods: as far apart as the days between them
    assert (
        rules.day_gap(_mention(period=(date(2018, 7, 1), date(2018, 7, 31))), _mention(**b, period=week)) == 0
    )
    assert (
        rules.day_gap(_mention(period=(date(2017, 1, 1), date(2017, 12, 31))), _mention(**b, period=week))
        > 180
    )


def test_a_mention_of_last_week_finds_the_cluster_of_its_day(store: Store) -> None:
    store.write(
        make("a", [(CALL, ("USAGOV", "RUSGOV", "040"))], published="2018-07-16", event_date="2018-07-16")
    )
    # a weekly's report of "last week's" summit, nine days after it: read from the days of its week
    store.write(make("b", [(CALL_B, ("USAGOV", "RUSGOV", "040"))], published="2018-07-25",
                     period="2018-W29", source="Outlet B"))  # fmt: skip
    # the same words said of 2007 are another summit than the one dated 16 July
    store.write(make("c", [(CALL_B, ("USAGOV", "RUSGOV", "040"))], published="2018-07-16",
                     period="2007", source="Outlet C"))  # fmt: skip
    # an undated mention is only reported on its article's day: it may be the 2007 summit recalled
    store.write(make("d", [(CALL_B, ("USAGOV", "RUSGOV", "040"))], published="2018-07-14", source="Outlet D"))
    assert event_clusters_by_article(store) == {"a": [1], "b": [1], "c": [2], "d": [2]}


CAPTION = "Hide Caption 3 of 12 Photos: Photos: Trump meets Putin Trump meets Putin – "


def test_two_mentions_of_one_article_stay_two_events_unless_told_in_near_same_words(store: Store) -> None:
    # a gallery's captions share the gallery's words but show different occurrences: two events
    captions = [
        (CAPTION + "Trump and Putin shake hands in Helsinki on July 16.", ("USAGOV", "RUSGOV", "040")),
        (CAPTION + "Trump and Putin hold a news conference in Helsinki on July 16.", ("USAGOV", "RUSGOV", "040")),
    ]  # fmt: skip
    assert (
        cluster_words.weighted_overlap(*(cluster_words.content_words(t) for t, _ in captions))
        >= rules.SAME_ARTICLE_SIMILARITY
    )
    store.write(make("g", captions))
    assert [c["n_mentions"] for c in rows(store, "event_clusters")] == [1, 1]
    # one article telling the summit twice in near-same words (0.80 of their weight): one event; another
    # sentence of the article with the same key but other words stays apart
    store.write(make("a", [(CALL, ("USAGOV", "RUSGOV", "040")), (CALL_B, ("USAGOV", "RUSGOV", "040")),
                           (OTHER, ("USAGOV", "RUSGOV", "040"))], published="2018-08-20"))  # fmt: skip
    summit = [c for c in rows(store, "event_clusters") if c["day"] == "2018-08-20"]
    assert sorted((c["n_mentions"], c["n_articles"]) for c in summit) == [(1, 1), (2, 1)]


def test_two_recalls_of_one_earlier_day_need_fewer_shared_words() -> None:
    # "attacked the U.S. consulate in Benghazi on Tuesday" (two days later) and "the Sept. 11, 2012,
    # Benghazi attack on the U.S. Consulate" (five months later): few words, other stories, one past day
    told = cluster_words.content_words(
        "A mob also attacked the consulate in Benghazi on Tuesday, killing the ambassador."
    )
    recalled = cluster_words.content_words(
        "Questions center on the Sept. 11, 2012, Benghazi attack and its aftermath."
    )
    sep11 = date(2012, 9, 11)
    a = _mention(day=sep11, words=told, recalled=True, story={"mob": 1.0})
    b = dict(pk=2, article_pk=2, day=sep11, words=recalled, story={"hagel": 1.0})
    share = cluster_words.weighted_overlap(told, recalled)
    assert rules.SAME_PAST_DAY_SIMILARITY <= share < rules.OTHER_STORY_SIMILARITY
    assert rules.event_match(a, _mention(**b, recalled=True)) == (
        pytest.approx(share + 0.05),
        "same-past-day",
    )
    # the same day as the articles' own (both reported then) is no such evidence
    assert rules.event_match(a, _mention(**b)) is None
    assert rules.event_match(_mention(day=sep11, words=told, story={"mob": 1.0}), _mention(**b)) is None


@pytest.mark.parametrize(("published_b", "clusters"), [("2013-02-13", [1, 1]), ("2012-09-12", [1, 2])])
def test_a_store_tells_recalled_acts_by_their_articles_days(
    tmp_path: Path, published_b: str, clusters: list[int]
) -> None:
    told = "A mob also attacked the consulate in Benghazi on Tuesday, killing the ambassador."
    recalled = "Questions center on the Sept. 11, 2012, Benghazi attack and its aftermath."
    attack = ("CHNGOV", "USAGOV", "190")
    with open_store(tmp_path / "s.db") as store:
        store.write(make("a", [(told, attack)], published="2012-09-13", event_date="2012-09-11"))
        # months later the same day is a recalled act; the next day, only the news of it
        # (the target's other code, so that the same full codes do not lower the threshold as well)
        other = ("CHNGOV", "USALEG", "190")
        store.write(
            make("b", [(recalled, other)], published=published_b, event_date="2012-09-11", source="B")
        )
        assert [pks[0] for pks in event_clusters_by_article(store).values()] == clusters


def test_a_member_of_another_code_with_no_words_in_common_keeps_a_mention_out() -> None:
    from tacitus.store.clusters import _best_event_cluster

    # the cluster holds the summit and, through a third report, a threat told in other words
    summit = _mention(words=cluster_words.content_words(CALL))
    threat = _mention(pk=3, article_pk=3, code="043", words=cluster_words.content_words(OTHER))
    new = _mention(pk=2, article_pk=2, words=cluster_words.content_words(CALL_B))
    assert rules.told_apart(new, threat) and not rules.told_apart(new, summit)
    assert _best_event_cluster(new, {7: [summit]})[0] == 7
    assert _best_event_cluster(new, {7: [summit, threat]}) is None
    # the same code is no such evidence: reports of one act may share few words
    assert not rules.told_apart(new, _mention(pk=3, article_pk=3, words=cluster_words.content_words(OTHER)))


def test_violent_acts_on_parties_of_other_kinds_are_two_acts() -> None:
    # "at least two people were killed in clashes" and "an Egyptian soldier was killed", one day, one story
    killed = dict(root="18", code="1823", source_country=None, target_country="EGY")
    words = cluster_words.content_words("People were killed in clashes near the police station in Rafah.")
    civilians = _mention(**killed, target_code="EGYPPL", words=words)
    soldier = _mention(pk=2, article_pk=2, **killed, target_code="EGYMIL", words=words)
    assert rules.side_kind("EGYMIL") == "state forces" and rules.side_kind("EGY") is None
    assert rules.event_score(civilians, soldier) is None
    # kinds alike ("nine US citizens" and "Nine people"), or an official among the dead: no such evidence
    assert rules.event_score(
        civilians, _mention(pk=2, article_pk=2, **killed, target_code="EGYCVL", words=words)
    )
    assert rules.event_score(
        civilians, _mention(pk=2, article_pk=2, **killed, target_code="EGYGOV", words=words)
    )
    # nor outside violence: a meeting of soldiers and of civilians may be reported either way
    meet = dict(source_code="EGYGOV", words=words)
    assert rules.event_score(
        _mention(**meet, target_code="EGYPPL"), _mention(pk=2, article_pk=2, **meet, target_code="EGYMIL")
    )


def test_a_report_matching_two_clusters_well_joins_them(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # two first reports of one summit with no word in common: two clusters; a third report tells both
    talks = "Trump and Putin discussed Syria and nuclear arms in Helsinki."
    palace = "The two leaders held a long summit meeting at the presidential palace."
    both = "Trump and Putin held a long summit meeting at the presidential palace in Helsinki to discuss Syria and nuclear arms."
    store.write(make("a", [(talks, ("USAGOV", "RUSGOV", "040"))]))
    store.write(make("b", [(palace, ("USAGOV", None, "040"))], source="Outlet B"))
    assert event_clusters_by_article(store) == {"a": [1], "b": [2]}
    store.write(make("c", [(both, ("USAGOV", "RUSGOV", "040"))], source="Outlet C"))
    assert event_clusters_by_article(store) == {"a": [1], "b": [1], "c": [1]}
    assert [(c["pk"], c["n_mentions"], c["n_sources"]) for c in rows(store, "event_clusters")] == [(1, 3, 3)]
    # the report that joined them is the way from the second cluster's first mention to the first's
    why = {r["pk"]: (r["cluster_via"], r["cluster_basis"]) for r in rows(store, "events")}
    assert why[2] == (3, "merged") and why[3] == (1, "same-story") and why[1] == (None, None)


def test_a_weaker_match_with_another_cluster_does_not_join_them(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rules, "MERGE_SIMILARITY", 0.7)
    store.write(
        make(
            "a",
            [("Trump and Putin discussed Syria and nuclear arms in Helsinki.", ("USAGOV", "RUSGOV", "040"))],
        )
    )
    store.write(
        make(
            "b",
            [
                (
                    "The two leaders held a long summit meeting at the presidential palace.",
                    ("USAGOV", None, "040"),
                )
            ],
            source="B",
        )
    )
    store.write(
        make(
            "c",
            [
                (
                    "Trump and Putin held a long summit meeting at the presidential palace in Helsinki to discuss Syria and nuclear arms.",
                    ("USAGOV", "RUSGOV", "040"),
                )
            ],
            source="C",
        )
    )
    assert event_clusters_by_article(store) == {"a": [1], "b": [2], "c": [1]}


def test_captions_of_one_gallery_saying_the_same_day_are_one_event() -> None:
    # "Flames erupt outside of a building on September 11", "People duck flames outside a building on
    # September 11": one attack; the same gallery's captions of other days show other acts
    flames = cluster_words.content_words(CAPTION + "Flames erupt outside a building in Helsinki on July 16.")
    duck = cluster_words.content_words(
        CAPTION + "People duck flames outside a building in Helsinki on July 16."
    )
    a = _mention(words=flames, caption=True)
    assert rules.event_score(a, _mention(pk=2, words=duck, caption=True)) is not None
    assert rules.event_score(a, _mention(pk=2, words=duck, caption=True, day=date(2018, 7, 17))) is None
    # a day the captions do not say (their article's) is no evidence that they show one act
    undated = dict(caption=True, dated=False)
    assert rules.event_score(_mention(words=flames, **undated), _mention(pk=2, words=duck, **undated)) is None
    # nor is a caption beside the article's own text
    assert rules.event_score(a, _mention(pk=2, words=duck)) is None
    # captions of two stated days are two acts in two articles too (a gallery printed twice); one undated
    # caption is no such evidence
    assert rules.event_score(a, _mention(pk=2, article_pk=2, words=duck, caption=True)) is not None
    later = dict(pk=2, article_pk=2, words=duck, caption=True, day=date(2018, 7, 18))
    assert rules.event_score(a, _mention(**later)) is None
    assert rules.event_score(a, _mention(**later, dated=False)) is not None


def test_two_mentions_of_one_article_with_other_words_stay_two_events(store: Store) -> None:
    # a timeline's entries share the key but not the words (docs/clusters.md)
    store.write(make("a", [(CALL, ("USAGOV", "RUSGOV", "040")), (OTHER, ("USAGOV", "RUSGOV", "040"))]))
    assert [(c["n_mentions"], c["n_articles"]) for c in rows(store, "event_clusters")] == [(1, 1), (1, 1)]
    # another outlet's mention joins the one it matches best (its own words: the first)
    store.write(make("b", [(CALL_B, ("USAGOV", "RUSGOV", "040"))], source="Outlet B"))
    assert [c["n_mentions"] for c in rows(store, "event_clusters")] == [2, 1]


def test_reversed_actors_are_two_acts() -> None:
    # "Hagel thanked the President" and "Obama thanked Hagel": one ceremony, two acts of one country
    words = cluster_words.content_words(
        "At the White House ceremony Hagel and Obama thanked each other warmly."
    )
    thanks = dict(root="05", code="051", source_country="USA", target_country="USA", words=words)
    a = _mention(**thanks, source_code="USAGOVMIL", target_code="USAGOV")
    b = _mention(pk=2, article_pk=2, **thanks, source_code="USAGOV", target_code="USAGOVMIL")
    assert rules.reversed_actors(a, b)
    assert rules.event_score(a, b) is None
    assert rules.event_score(a, _mention(pk=2, article_pk=2, **thanks, source_code="USAGOVMIL")) is not None


def test_places_far_apart_keep_events_apart(store: Store) -> None:
    helsinki = PlaceRef("Helsinki", "FIN", 60.17, 24.94)
    moscow = PlaceRef("Moscow", "RUS", 55.75, 37.62)
    in_moscow = "In Moscow, Trump met Putin for a summit on Syria and nuclear arms control."
    store.write(make("a", [(CALL, ("USAGOV", "RUSGOV", "040"))], place=helsinki))
    store.write(make("b", [(in_moscow, ("USAGOV", "RUSGOV", "040"))], place=moscow, source="Outlet B"))
    store.write(make("c", [(CALL, ("USAGOV", "RUSGOV", "040"))], source="Outlet C"))
    clusters = rows(store, "event_clusters")
    assert len(clusters) == 2
    # the place comes from the first member that has one
    assert (clusters[0]["place_name"], clusters[0]["place_country"]) == ("Helsinki", "FIN")
    assert clusters[0]["n_mentions"] == 2  # the unplaced third joins the first


def test_a_place_the_sentence_does_not_name_does_not_keep_events_apart() -> None:
    # a Washington story recalling a strike in Baghdad: the event's place is the dateline's, not the
    # strike's, so it says nothing against a Baghdad report of the strike
    recalled = cluster_words.content_words(
        "The general was killed on Friday in a drone strike outside the airport."
    )
    told = cluster_words.content_words(
        "The general was killed in a drone strike on the Baghdad airport road."
    )
    strike = dict(root="18", code="1823", source_country=None, target_country="IRN")
    washington = dict(place_country="USA", lat=38.9, lon=-77.04)
    baghdad = dict(place_country="IRQ", lat=33.31, lon=44.37)
    assert not rules.place_named("Washington", recalled) and rules.place_named("Baghdad", told)
    a = _mention(**strike, words=recalled, **washington, place_named=False)
    b = _mention(pk=2, article_pk=2, **strike, words=told, **baghdad, place_named=True)
    assert rules.places_compatible(a, b) and rules.event_score(a, b) is not None
    # both named in their sentences: two countries are two events
    in_washington = cluster_words.content_words("The general was killed in a drone strike in Washington.")
    c = _mention(**strike, words=in_washington, **washington, place_named=True)
    assert not rules.places_compatible(c, b) and rules.event_score(c, b) is None


def test_a_hypothetical_or_demanded_act_is_not_the_occurrence() -> None:
    # what one outlet says may happen, and what another reports did happen, in shared words
    hoped = cluster_words.content_words(
        "Tehran could free the tanker's crew once Gibraltar releases its supertanker."
    )
    done = cluster_words.content_words(
        "Tehran freed the tanker's crew after Gibraltar released its supertanker."
    )
    release = dict(root="07", code="075", source_country="IRN", target_country="GBR")
    a = _mention(**release, words=hoped, mood="hypothetical")
    b = _mention(pk=2, article_pk=2, **release, words=done, mood="asserted")
    assert not rules.moods_compatible(a, b) and rules.event_score(a, b) is None
    assert rules.event_score(_mention(**release, words=hoped, mood="demanded"), b) is None
    # the same words both asserted (or reported), or both hypothetical, may be one event
    assert rules.event_score(_mention(**release, words=hoped, mood="reported"), b) is not None
    assert rules.event_score(a, _mention(pk=2, article_pk=2, **release, words=done, mood="hypothetical"))
    # a plan ("intended") is not held apart: the extractor gives it to one leg of a trip under way
    assert rules.event_score(_mention(**release, words=hoped, mood="intended"), b) is not None


def test_two_persons_named_on_one_side_are_two_acts() -> None:
    # one day, one dyad, one place: the president met the premier in the morning and the party chief at
    # night; the captions share most of their words
    morning = "Trump and Premier Li Keqiang meet at the Great Hall of the People in Beijing."
    night = "Trump and Party Secretary Zhao Leji meet at the Great Hall of the People in Beijing."
    meet = dict(source_country="USA", target_country="CHN", source_code="USAGOV", target_code="CHNGOV")
    wa, wb = cluster_words.content_words(morning), cluster_words.content_words(night)
    assert rules.named_person("Li Keqiang", "person", wa) == {"li", "keqiang"}
    assert rules.named_person("Li Keqiang", "organization", wa) is None
    # a person the sentence does not name (reached through "he") is no evidence either way
    assert (
        rules.named_person("Zhao Leji", "person", cluster_words.content_words("He met them at noon.")) is None
    )
    a = _mention(**meet, words=wa, target_person=rules.named_person("Li Keqiang", "person", wa))
    b = _mention(
        pk=2, article_pk=2, **meet, words=wb, target_person=rules.named_person("Zhao Leji", "person", wb)
    )
    assert cluster_words.weighted_overlap(wa, wb) >= rules.MIN_EVENT_SIMILARITY
    assert rules.other_people(a, b) and rules.event_score(a, b) is None
    # one person spelled two ways, or with and without a title, is one person
    premier = rules.named_person("Premier Li", "person", cluster_words.content_words("Premier Li met Trump."))
    assert not rules.other_people(a, _mention(pk=2, article_pk=2, **meet, words=wb, target_person=premier))
    assert rules.event_score(a, _mention(pk=2, article_pk=2, **meet, words=wb)) is not None


def test_a_named_person_and_a_counted_group_are_two_acts() -> None:
    # one siege, two tolls: the gunman killed, and the people he and his accomplices killed
    gunman = "The authorities say Coulibaly was killed during the siege of the kosher market."
    victims = "Five more people were killed in attacks on a policewoman and at the kosher market."
    kill = dict(root="18", code="1823", source_country=None, target_country="FRA")
    wa, wb = cluster_words.content_words(gunman), cluster_words.content_words(victims)
    assert [rules.counted_group(n) for n in ("Five more people", "at least 17 people", "more than 6,000 people",
            "dozens of protesters", "Amedy Coulibaly", "the two leaders", "people")] == [
        True, True, True, True, False, False, False]  # fmt: skip
    a = _mention(**kill, words=wa, target_person=rules.named_person("Amedy Coulibaly", "person", wa))
    b = _mention(pk=2, article_pk=2, **kill, words=wb, target_group=rules.counted_group("Five more people"))
    assert cluster_words.weighted_overlap(wa, wb) >= rules.MIN_EVENT_SIMILARITY
    assert rules.other_people(a, b) and rules.event_score(a, b) is None
    # an unnamed, uncounted victim is no evidence either way ("a man was killed at the market")
    c = _mention(pk=2, article_pk=2, **kill, words=wb)
    assert not rules.other_people(a, c) and rules.event_score(a, c) is not None


def test_two_tolls_far_apart_are_two_groups() -> None:
    # one siege's day, two tolls: the four hostages killed at the market, the twelve at the magazine
    market = "French President Francois Hollande said four people were killed at the market."
    magazine = "Twelve people were killed when the brothers stormed the magazine's offices, Hollande said."
    kill = dict(root="18", code="1823", source_country=None, target_country="FRA", target_code="FRAPPL")
    assert [rules.group_count(n) for n in ("four people", "Twelve people", "at least 1,300 people",
            "Five more people", "dozens of protesters", "Amedy Coulibaly")] == [4, 12, 1300, 5, None, None]  # fmt: skip
    wa, wb = cluster_words.content_words(market), cluster_words.content_words(magazine)
    a = _mention(**kill, words=wa, target_group=True, target_count=4)
    b = _mention(pk=2, article_pk=2, **kill, words=wb, target_group=True, target_count=12)
    assert rules.event_score(a, _mention(pk=2, article_pk=2, **kill, words=wb)) is not None
    assert rules.different_tolls(a, b) and rules.other_people(a, b) and rules.event_score(a, b) is None
    # a toll updated within the window grows by less than the ratio: one attack, "at least 12", then 17
    c = _mention(pk=2, article_pk=2, **kill, words=wb, target_group=True, target_count=17)
    d = _mention(**kill, words=wa, target_group=True, target_count=12)
    assert rules.TOLL_RATIO * 12 > 17 and not rules.different_tolls(c, d)
    assert rules.event_score(c, d) is not None


def test_a_person_named_in_another_cluster_member_keeps_a_mention_out(store: Store) -> None:
    # a cluster holding "Trump met Li" is no place for "Trump met Zhao", even through a member naming no one
    def record(rid: str, sentence: str, target: tuple[str, str] | None) -> Record:
        r = make(rid, [(sentence, ("USAGOV", "CHNGOV", "040"))], source=f"Outlet {rid}")
        if target is not None:
            r.actors.append(Actor("t1", target[0], "CHNGOV", "CHN", "GOV", target[1]))
            r.events[0].target = "t1"
        return r

    store.write(
        record("a", "Trump met Premier Li Keqiang at the Great Hall of the People.", ("Li Keqiang", "person"))
    )
    store.write(record("b", "Trump met Chinese leaders at the Great Hall of the People.", None))
    store.write(record("c", "Trump met Zhao Leji at the Great Hall of the People.", ("Zhao Leji", "person")))
    by_article = event_clusters_by_article(store)
    assert by_article["a"] == by_article["b"] != by_article["c"]


def test_publications_count_articles_and_outlets(store: Store) -> None:
    record = make("a", [(CALL, ("USAGOV", "RUSGOV", "040"))], quotes=[("USAGOV", "Donald Trump",
                  "We had a very good meeting and we will meet again soon")])  # fmt: skip
    store.write(record)
    digest = __import__("tacitus.model", fromlist=["content_hash"]).content_hash(record.text)
    copy = Article(id="a-copy", text=record.text, source="Outlet B", url="https://b.example/x")
    assert store.add_publication(digest, copy, key="k1", kind="exact", similarity=1.0) == "duplicate"
    same_outlet = Article(id="a-again", text=record.text, source="Outlet A", url="https://example.org/a2")
    store.add_publication(digest, same_outlet, key="k2", kind="near", similarity=0.9)
    (c,) = rows(store, "event_clusters")
    assert (c["n_mentions"], c["n_articles"], c["n_sources"]) == (1, 3, 2)
    (q,) = rows(store, "quote_clusters")
    assert (q["n_quotes"], q["n_articles"], q["n_sources"]) == (1, 3, 2)


def test_replacing_an_article_moves_its_mentions_and_drops_empty_clusters(store: Store) -> None:
    store.write(make("a", [(CALL, ("USAGOV", "RUSGOV", "040"))]))
    store.write(make("b", [(CALL_B, ("USAGOV", "RUSGOV", "040")), (OTHER, ("USAGOV", "CHNGOV", "040"))],
                     source="Outlet B"))  # fmt: skip
    assert [c["n_mentions"] for c in rows(store, "event_clusters")] == [2, 1]
    first_pk = rows(store, "event_clusters")[0]["pk"]
    # article a is reprocessed (same text, new analysis): its mention leaves, the survivor represents
    store.write(make("a", [(CALL, ("USAGOV", "CHNGOV", "040"))]), reprocess=True)
    clusters = {c["pk"]: c for c in rows(store, "event_clusters")}
    assert clusters[first_pk]["n_mentions"] == 1
    assert clusters[first_pk]["event_pk"] == rows(store, "events")[0]["pk"]  # b's first event now
    assert sorted(c["n_mentions"] for c in clusters.values()) == [1, 1, 1]
    # b reprocessed without events: the clusters only it held are deleted, a's stays
    store.write(make("b", [(CALL_B, None), (OTHER, None)], source="Outlet B"), reprocess=True)
    (left,) = rows(store, "event_clusters")
    assert (left["n_mentions"], left["target_code"]) == (1, "CHNGOV")
    assert event_clusters_by_article(store) == {"a": [left["pk"]]}


def test_each_article_keeps_its_story_and_other_stories_stay_apart(store: Store) -> None:
    nearby = "Trump told Putin that the summit should produce progress on Syria."
    cup = "France beat Croatia in the World Cup final; fans in Paris celebrated the football title."
    store.write(make("a", [(CALL, ("USAGOV", "RUSGOV", "040")), (CALL_B, None)]))
    # words that would join an article on the summit do not join one on the World Cup
    store.write(make("b", [(nearby, ("USAGOV", "RUSGOV", "040")), (cup, None), (cup, None)], source="B"))
    by_article = event_clusters_by_article(store)
    assert by_article["a"] != by_article["b"]
    stories = {
        r["article_pk"]: cluster_words.decode_terms(r["terms"]) for r in rows_by(store, "article_stories")
    }
    assert len(stories) == 2 and "helsinki" in stories[1] and "croatia" in stories[2]
    # rebuild rewrites the stories (one row per article) and comes to the same clusters
    before = event_clusters_by_article(store)
    store.rebuild_clusters()
    assert len(rows_by(store, "article_stories")) == 2
    assert len(set(map(tuple, event_clusters_by_article(store).values()))) == len(
        set(map(tuple, before.values()))
    )
    # a stored article without a story (from before revision 0011): the sentences decide alone
    with store.engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM article_stories WHERE article_pk = 1"))
        connection.execute(sa.text("UPDATE events SET cluster_pk = NULL WHERE article_pk = 2"))
        assign_events(connection, 2, {})
    by_article = event_clusters_by_article(store)
    assert by_article["a"] == by_article["b"]


def test_a_store_of_an_older_schema_clusters_on_sentences_alone(tmp_path: Path) -> None:
    # Store(engine) does not migrate: on a schema from before revision 0011 (no article_stories) the
    # clusters are still made, from the sentences, and the store gains stories once migrated
    from alembic import command

    from tacitus.store import _alembic_config

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0010")
    with Store(engine) as old:
        old.write(make("a", [(CALL, ("USAGOV", "RUSGOV", "040"))]))
        old.write(make("b", [(CALL_B, ("USAGOV", "RUSGOV", "040"))], source="Outlet B"))
        assert len(rows(old, "event_clusters")) == 1
    with open_store(tmp_path / "old.db") as store:
        store.write(make("c", [(CALL, ("USAGOV", "RUSGOV", "040"))], source="Outlet C"))
        assert [c["n_mentions"] for c in rows(store, "event_clusters")] == [3]
        assert [r["article_pk"] for r in rows_by(store, "article_stories")] == [3]


def rows_by(store: Store, table: str) -> list[dict]:
    with store.engine.connect() as connection:
        return [dict(r) for r in connection.execute(sa.text(f"SELECT * FROM {table}")).mappings()]


def test_quotes_of_one_speaker_with_near_same_words_are_one_quotation(store: Store) -> None:
    line = "We had a very good meeting and we will meet again soon in Washington"
    store.write(make("a", [], quotes=[("USAGOV", "Donald Trump", line)], source="Outlet A"))
    store.write(make("b", [], quotes=[("USAGOV", "President Trump", "we had a very good meeting and we will meet again")],
                     source="Outlet B", published="2018-07-18"))  # fmt: skip
    store.write(make("c", [], quotes=[("RUSGOV", "Vladimir Putin", line)], source="Outlet C"))
    store.write(make("d", [], quotes=[(None, "Sen. John McCain", "a disgraceful performance by an American president"),
                                      (None, "someone else", "no")], source="Outlet D"))  # fmt: skip
    store.write(make("e", [], quotes=[(None, "John McCain", "It was a disgraceful performance by an American president")],
                     source="Outlet E"))  # fmt: skip
    clusters = rows(store, "quote_clusters")
    by_speaker = {c["speaker_key"]: c for c in clusters}
    assert by_speaker["USAGOV"]["n_quotes"] == 2
    assert by_speaker["USAGOV"]["n_sources"] == 2
    assert by_speaker["USAGOV"]["content"] == line  # the first stored represents it
    assert (by_speaker["USAGOV"]["first_day"], by_speaker["USAGOV"]["last_day"]) == (
        "2018-07-16",
        "2018-07-18",
    )
    assert by_speaker["RUSGOV"]["n_quotes"] == 1
    assert by_speaker["john mccain"]["n_quotes"] == 2  # no code: the name without its title
    assert by_speaker["someone else"]["n_quotes"] == 1
    quotes = rows(store, "quotes")
    assert all(q["cluster_pk"] is not None for q in quotes)


def test_rebuild_recomputes_the_same_clusters(store: Store) -> None:
    store.write(make("a", [(CALL, ("USAGOV", "RUSGOV", "040"))]))
    store.write(make("b", [(CALL_B, ("USAGOV", "RUSGOV", "040"))], source="Outlet B"))
    store.write(make("c", [(OTHER, ("USAGOV", "CHNGOV", "040"))], source="Outlet C"))
    before = [(c["n_mentions"], c["n_sources"], c["code"]) for c in rows(store, "event_clusters")]
    with store.engine.begin() as connection:
        connection.execute(sa.text("UPDATE events SET cluster_pk = NULL"))
        connection.execute(sa.text("DELETE FROM event_clusters"))
    with store.engine.begin() as connection:
        counts = rebuild(connection)
    assert counts["articles"] == 3 and counts["event_clusters"] == 2
    assert [(c["n_mentions"], c["n_sources"], c["code"]) for c in rows(store, "event_clusters")] == before


# -- listing and the command -------------------------------------------------------------------------------


def _three_outlets(store: Store) -> None:
    line = "We had a very good meeting and we will meet again soon in Washington"
    store.write(make("a", [(CALL, ("USAGOV", "RUSGOV", "040"))], quotes=[("USAGOV", "Donald Trump", line)]))
    store.write(make("b", [(CALL_B, ("USAGOV", "RUSGOV", "040"))], source="Outlet B",
                     quotes=[("USAGOV", "Donald Trump", line)]))  # fmt: skip
    store.write(make("c", [(OTHER, ("USAGOV", "CHNGOV", "040"))], source="Outlet C", published="2018-07-20"))


def test_store_lists_clusters_with_counts_and_evidence(store: Store) -> None:
    _three_outlets(store)
    listed = store.event_clusters()
    assert [(c["date"], c["n_sources"], c["n_mentions"]) for c in listed] == [
        ("2018-07-16", 2, 2),
        ("2018-07-20", 1, 1),
    ]
    top = listed[0]
    assert top["sentence"] == CALL  # the representative's evidence, from the first stored article
    assert (top["article_id"], top["outlet"], top["source_name"]) == ("a", "Outlet A", "Donald Trump")
    assert [c["n_sources"] for c in store.event_clusters(order="sources")] == [2, 1]
    assert len(store.event_clusters(min_sources=2)) == 1
    assert [c["target_code"] for c in store.event_clusters(actor="chn")] == ["CHNGOV"]
    assert store.event_clusters(code="05") == []
    assert [c["date"] for c in store.event_clusters(since="2018-07-17")] == ["2018-07-20"]
    (quotation,) = store.quote_clusters()
    assert (quotation["speaker_code"], quotation["n_quotes"], quotation["n_sources"]) == ("USAGOV", 2, 2)
    members = store.cluster_members(top["cluster_id"])
    assert [(m["article_id"], m["outlet"]) for m in members] == [("a", "Outlet A"), ("b", "Outlet B")]
    assert [m["outlet"] for m in store.cluster_members(quotation["cluster_id"], "quotes")] == [
        "Outlet A",
        "Outlet B",
    ]
    # a rebuild (the rules changed) gives the same clusters
    assert store.rebuild_clusters() == {"articles": 3, "event_clusters": 2, "quote_clusters": 1}
    assert [(c["n_sources"], c["sentence"]) for c in store.event_clusters()] == [
        (2, CALL),
        (1, OTHER),
    ]


def test_cli_lists_shows_and_rebuilds_clusters(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from tacitus.cli import app

    db = tmp_path / "news.db"
    with open_store(db) as opened:
        _three_outlets(opened)
    runner = CliRunner()
    result = runner.invoke(app, ["clusters", "--db", str(db), "--format", "json", "--order", "sources"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["n_sources"] for r in rows] == [2, 1]
    table = runner.invoke(app, ["clusters", "--db", str(db), "--min-sources", "2"])
    assert "USAGOV 040 RUSGOV" in table.output and "2/2/2" in table.output
    csv = runner.invoke(app, ["clusters", "--db", str(db), "--quotes", "--format", "csv"])
    assert csv.output.splitlines()[0].startswith("cluster_id,date,last_day,speaker_name")
    shown = runner.invoke(
        app, ["clusters", "show", str(rows[0]["cluster_id"]), "--db", str(db), "--format", "jsonl"]
    )
    members = [json.loads(line) for line in shown.output.splitlines()]
    assert [m["article_id"] for m in members] == ["a", "b"]
    # each member after the first says which member it matched, on what rule and score
    assert members[0]["via"] is None and members[1]["via"] == members[0]["pk"]
    assert members[1]["basis"] in rules.MATCH_BASES and members[1]["score"] > 0
    # the table, at 80 columns, says the same: the second mention joined through the first, on that rule
    table = runner.invoke(app, ["clusters", "show", str(rows[0]["cluster_id"]), "--db", str(db)])
    assert "joined via" in table.output and members[1]["basis"] in table.output
    assert f"{members[1]['score']:.2f}" in table.output and max(map(len, table.output.splitlines())) <= 80
    quoted = runner.invoke(app, ["clusters", "show", "1", "--quotes", "--db", str(db), "--format", "csv"])
    assert quoted.output.splitlines()[0].startswith("pk,article_id,outlet,date,speaker_name,content")
    missing = runner.invoke(app, ["clusters", "show", "999", "--db", str(db)])
    assert missing.exit_code == 1
    rebuilt = runner.invoke(app, ["clusters", "rebuild", "--db", str(db)])
    assert rebuilt.exit_code == 0 and "2 event clusters, 1 quotations" in rebuilt.output
    nowhere = runner.invoke(app, ["clusters", "--db", str(tmp_path / "typo.db")])
    assert nowhere.exit_code == 2 and "no such database" in nowhere.output
    assert not (tmp_path / "typo.db").exists()


def test_each_mention_keeps_the_member_it_matched_the_score_and_the_rule(store: Store) -> None:
    # why a report was counted as one event with another must be readable from the store (revision 0015)
    key = ("USAGOV", "RUSGOV", "040")
    store.write(make("a", [(CALL, key), (OTHER, None), (CALL, key)]))
    store.write(make("b", [(CALL_B, key)], source="Outlet B", published="2018-07-17"))
    store.write(make("c", [(CALL, key)], source="Outlet C", published="2018-07-18",
                     quotes=[("USAGOV", "Donald Trump", "We had a very good meeting in Helsinki today")]))  # fmt: skip
    store.write(make("d", [], source="Outlet D", published="2018-07-18",
                     quotes=[("USAGOV", "President Trump", "we had a very good meeting in Helsinki")]))  # fmt: skip
    first, again, b, c = rows(store, "events")
    assert len({e["cluster_pk"] for e in (first, again, b, c)}) == 1
    # the mention that started the cluster joined nothing
    assert (first["cluster_via"], first["cluster_score"], first["cluster_basis"]) == (None, None, None)
    # the same sentence told twice in one article: all its weight shared, the same code, the same day
    assert (again["cluster_via"], again["cluster_basis"]) == (first["pk"], "same-article")
    assert again["cluster_score"] == pytest.approx(1.0 + rules.SAME_CODE_BONUS)
    # another outlet's words, a day later: matched against the closest member, on a basis the rules know,
    # with a score that reaches that basis' threshold
    assert b["cluster_via"] in (first["pk"], again["pk"])
    assert b["cluster_basis"] in rules.MATCH_BASES and b["cluster_basis"] != "same-article"
    expected = cluster_words.weighted_overlap(
        cluster_words.content_words(CALL_B), cluster_words.content_words(CALL)
    )
    assert b["cluster_score"] == pytest.approx(expected + rules.SAME_CODE_BONUS - rules.DAY_PENALTY, abs=1e-4)
    # the first outlet's sentence again two days on: its best match is one of the identical members
    assert c["cluster_via"] in (first["pk"], again["pk"])
    assert c["cluster_score"] == pytest.approx(1.0 + rules.SAME_CODE_BONUS - 2 * rules.DAY_PENALTY)
    q_c, q_d = rows(store, "quotes")
    assert q_c["cluster_via"] is None and q_d["cluster_pk"] == q_c["cluster_pk"]
    # "in Helsinki today" trimmed: every word of the shorter quote is in the longer
    assert (q_d["cluster_via"], q_d["cluster_score"]) == (q_c["pk"], 1.0)
    shown = store.cluster_members(first["cluster_pk"])
    assert [(m["pk"], m["via"], m["basis"]) for m in shown][:2] == [
        (first["pk"], None, None),
        (again["pk"], first["pk"], "same-article"),
    ]
    # a rebuild clears and recomputes them
    store.rebuild_clusters()
    assert [(e["cluster_via"], e["cluster_basis"]) for e in rows(store, "events")][:2] == [
        (None, None),
        (first["pk"], "same-article"),
    ]


# -- the evaluation, on a small real slice ---------------------------------------------------------------


def test_labelled_pairs_load_with_both_labels_and_a_fixed_split() -> None:
    from tacitus.evaluate.clusters import load_pairs, split_of

    pairs = load_pairs()
    assert len(pairs) >= 400
    labels = {p.label for p in pairs}
    assert {"same", "diff"} <= labels <= {"same", "diff", "unclear"}
    assert all(p.reason for p in pairs)
    # the split is a hash of the pair id: both halves hold both labels
    for half in ("dev", "test"):
        assert {p.label for p in pairs if p.split == half} >= {"same", "diff"}
    assert split_of("cdbc95291c12") == next(p.split for p in pairs if p.pair == "cdbc95291c12")


def test_a_bad_pairs_file_names_the_line(tmp_path: Path) -> None:
    from tacitus.evaluate.clusters import COLUMNS, load_pairs

    bad = tmp_path / "pairs.tsv"
    row = [
        "p1",
        "key",
        "a",
        "0",
        "5",
        "040",
        "",
        "",
        "",
        "b",
        "0",
        "5",
        "040",
        "",
        "",
        "",
        "0.5",
        "maybe",
        "x",
    ]
    bad.write_text("\t".join(COLUMNS) + "\n" + "\t".join(row) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"pairs.tsv:2: unknown label 'maybe'"):
        load_pairs(bad)


def test_basil_links_load_labelled_and_a_bad_file_names_the_line(tmp_path: Path) -> None:
    from tacitus.evaluate.clusters import LINK_COLUMNS, load_links

    links = load_links()
    assert len(links) >= 80 and all(link.label for link in links)
    assert {"same", "diff"} <= {link.label for link in links} <= {"same", "diff", "unclear"}
    assert all(link.reason for link in links)
    assert len({link.key for link in links}) == len(links)
    bad = tmp_path / "links.tsv"
    row = ["p1", "s", "a_1", "0", "5", "040", "a_2", "0", "x", "040", "same", "r"]
    bad.write_text("\t".join(LINK_COLUMNS) + "\n" + "\t".join(row) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"links.tsv:2: .*tab-separated columns"):
        load_links(bad)
    row[8], row[10] = "5", "maybe"
    bad.write_text("\t".join(LINK_COLUMNS) + "\n" + "\t".join(row) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"links.tsv:2: unknown label 'maybe'"):
        load_links(bad)


def test_quote_pairs_are_scored_by_the_quotation_each_quote_ended_in(tmp_path: Path) -> None:
    from collections import namedtuple

    from tacitus.evaluate.clusters import QUOTE_COLUMNS, QuotePair, load_quote_pairs, score_quote_pairs

    Row = namedtuple("Row", "article_id content_start content_end cluster_pk")
    rows = [Row("a", 0, 9, 1), Row("b", 5, 20, 1), Row("c", 0, 9, 2), Row("d", 0, 9, None)]

    def pair(pid: str, b: tuple[str, int, int], label: str) -> QuotePair:
        return QuotePair(pid, "speaker", "a", 0, 9, *b, 0.9, label, "r")

    pairs = [
        pair("p1", ("b", 5, 20), "same"),  # one quotation: a merge found
        pair("p2", ("c", 0, 9), "same"),  # two quotations: a merge missed
        pair("p3", ("b", 5, 20), "diff"),  # a false merge
        pair("p4", ("d", 0, 9), "diff"),  # an unclustered quote is a quotation of its own
        pair("p5", ("e", 0, 9), "same"),  # no such quote any more: missing, not scored
        pair("p6", ("c", 0, 9), "unclear"),  # left out
    ]
    result = score_quote_pairs(pairs, rows, "all")
    assert (result.counts["tp"], result.counts["fn"], result.counts["fp"], result.counts["tn"]) == (
        1,
        1,
        1,
        1,
    )
    assert result.counts["missing"] == 1 and result.counts["pairs"] == 4
    assert result.metrics["precision"] == 0.5 and result.metrics["recall"] == 0.5
    bad = tmp_path / "quotes.tsv"
    row = ["p1", "speaker", "a", "0", "9", "b", "5", "20", "0.9", "maybe", "r"]
    bad.write_text("\t".join(QUOTE_COLUMNS) + "\n" + "\t".join(row) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"quotes.tsv:2: unknown label 'maybe'"):
        load_quote_pairs(bad)


def test_corpus_estimates_weigh_each_stratum_by_its_size(tmp_path: Path) -> None:
    from dataclasses import replace

    from tacitus.evaluate.clusters import Pair, load_strata, stratum_of, weighted_merge_scores

    base = Pair("p", "key", "a", 0, 5, "040", "", "", "", "b", 0, 5, "040", "", "", "", 0.05, "same", "r")
    low = [replace(base, pair=f"l{i}", label="same" if i == 0 else "diff") for i in range(4)]
    high = [replace(base, pair=f"h{i}", overlap=0.7, label="same") for i in range(2)]
    assert stratum_of(low[0]) == ("key", 0) and stratum_of(high[0]) == ("key", 4)
    assert stratum_of(replace(base, kind="partial", overlap=0.7)) == ("partial", None)
    # low overlap: one same pair of four, missed; high: two same, both merged; one missing pair left out
    outcomes = [(low[0], False), (low[1], False), (low[2], False), (low[3], True)]
    outcomes += [(high[0], True), (high[1], True), (replace(base, pair="m"), None)]
    # the even draw says 2 right merges of 3 and 2 found of 3; the corpus has 400 low pairs to 20 high:
    # each low pair stands for 100, each high one for 10
    precision, recall = weighted_merge_scores(outcomes, {("key", 0): 400, ("key", 4): 20})
    assert precision == pytest.approx(20 / 120)
    assert recall == pytest.approx(20 / 120)
    strata = load_strata()
    assert {kind for kind, _ in strata} == {"key", "same-article", "cross-root", "partial"}
    assert sorted(band for kind, band in strata if kind == "key") == [0, 1, 2, 3, 4]
    assert all(n > 0 for n in strata.values())
    bad = tmp_path / "strata.tsv"
    bad.write_text("kind\tband\tpairs\nkye\t0\t12\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"strata.tsv:2: kind 'kye'"):
        load_strata(bad)


def test_a_second_reading_keeps_the_pairs_both_readers_label_alike(tmp_path: Path) -> None:
    from dataclasses import replace

    from tacitus.evaluate.clusters import Pair, agreed_pairs, agreement, load_second_reading

    base = Pair("p", "key", "a", 0, 5, "040", "", "", "", "b", 0, 5, "040", "", "", "", 0.4, "same", "r")
    first = ["same", "same", "diff", "diff", "diff", "unclear"]
    pairs = [replace(base, pair=f"p{i}", label=label) for i, label in enumerate(first)]
    second = {
        f"p{i}": (label, "r") for i, label in enumerate(["same", "diff", "diff", "diff", "unclear", "diff"])
    }
    assert [p.pair for p in agreed_pairs(pairs, second)] == ["p0", "p2", "p3"]
    found = agreement(pairs, second)
    assert found["agreement"] == pytest.approx(3 / 6)
    # kappa over the 4 pairs both labelled same or diff: observed 3/4; first reader 2/4 same, second 1/4
    chance = 0.5 * 0.25 + 0.5 * 0.75
    assert found["kappa"] == pytest.approx((0.75 - chance) / (1 - chance))
    bad = tmp_path / "second.tsv"
    bad.write_text("pair\tlabel\treason\np1\tsame-ish\tr\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"second.tsv:2: unknown label 'same-ish'"):
        load_second_reading(bad)


def test_a_cluster_links_sentences_of_two_outlets_of_one_story_once() -> None:
    from collections import namedtuple

    from tacitus.evaluate.clusters import cross_outlet_links

    Row = namedtuple("Row", "article_id sentence_start sentence_end code")
    docs = {
        "s1_1": {"story": "s1", "source": "nyt"},
        "s1_2": {"story": "s1", "source": "fox"},
        "s1_3": {"story": "s1", "source": "nyt"},
        "s2_1": {"story": "s2", "source": "hpo"},
    }
    rows = [
        Row("s1_1", 0, 10, "040"),
        Row("s1_1", 0, 10, "042"),  # a second event of the same sentence: one link, the first code
        Row("s1_2", 5, 20, "040"),
        Row("s1_3", 0, 9, "040"),  # the same outlet as s1_1: linked to fox only
        Row("s2_1", 0, 9, "040"),  # another story: no link (the cluster joins stories, counted elsewhere)
    ]
    links = cross_outlet_links(rows, docs)
    assert sorted((link.id_a, link.id_b, link.code_a) for link in links) == [
        ("s1_1", "s1_2", "040"),
        ("s1_2", "s1_3", "040"),
    ]
    assert all(link.story == "s1" and not link.label for link in links)


# Eight labelled AllSides pairs with short articles (4 same, 4 diff), measured at precision 0.80 and
# recall 1.00 (the full held-out figures are in docs/clusters.md).
SLICE = {"7b3d80b8674f", "93328b2e8bef", "cd7c1cda2dc6", "d052fa6c9e35",
         "8880370b17d1", "dd300c6013c6", "5b5c6524d2a1", "b32a5a64f59a"}  # fmt: skip


def test_real_slice_of_labelled_pairs_stays_above_its_floor() -> None:
    from tacitus.evaluate.clusters import CORPUS, evaluate_pairs, load_pairs

    if not (SHARED / CORPUS).exists():
        pytest.skip(f"{SHARED / CORPUS} is missing (tests read ../shared beside the checkout)")
    pairs = [p for p in load_pairs() if p.pair in SLICE]
    (result,) = evaluate_pairs(SHARED / "eval", splits=("all",), pairs=pairs)
    assert result.counts["pairs"] == 8 and result.counts["missing"] == 0
    assert result.metrics["precision"] >= 0.7
    assert result.metrics["recall"] >= 0.75


# Seven labelled AllSides quote pairs with short articles (3 same, 4 diff), measured at precision 0.75 (one
# false merge: a summary of Trump's "no collusion" joined to his tweet saying it) and recall 1.00.
QUOTE_SLICE = {"63086054337e", "240b054cdaab", "13539a8618b6", "692676241141", "a0bbf3da8418",
               "460df456c289", "d9a4344de158"}  # fmt: skip


def test_real_slice_of_labelled_quote_pairs_stays_above_its_floor() -> None:
    from tacitus.evaluate.clusters import CORPUS, evaluate_pairs, load_quote_pairs

    if not (SHARED / CORPUS).exists():
        pytest.skip(f"{SHARED / CORPUS} is missing (tests read ../shared beside the checkout)")
    pairs = load_quote_pairs()
    assert len(pairs) >= 150 and {"same", "diff"} <= {p.label for p in pairs} <= {"same", "diff", "unclear"}
    assert all(p.reason for p in pairs if p.label)
    for half in ("dev", "test"):
        assert {p.label for p in pairs if p.split == half} >= {"same", "diff"}
    chosen = [p for p in pairs if p.pair in QUOTE_SLICE]
    events, quotes = evaluate_pairs(SHARED / "eval", splits=("all",), pairs=[], quote_pairs=chosen)
    assert events.counts["pairs"] == 0
    assert quotes.counts["pairs"] == 7 and quotes.counts["missing"] == 0
    assert quotes.metrics["precision"] >= 0.7
    assert quotes.metrics["recall"] >= 0.99


def test_real_slice_of_basil_links_outlets_without_joining_stories() -> None:
    from tacitus.evaluate.clusters import BASIL, cluster_store, load_basil, score_basil

    if not (SHARED / BASIL).exists():
        pytest.skip(f"{SHARED / BASIL} is missing (tests read ../shared beside the checkout)")
    docs = load_basil(SHARED / BASIL)
    assert len(docs) == 300 and len({d["id"] for d in docs}) == 300
    stories = sorted({d["story"] for d in docs})[:4]
    chosen = [d for d in docs if d["story"] in stories]
    store, folder = cluster_store(chosen)
    try:
        result = score_basil(chosen, store)
    finally:
        store.close()
        folder.cleanup()
    # measured: 3 of the 4 stories have an event cluster across two outlets (on 2026-12-05, and at the
    # session's start that day; an older comment here said 4), none joins two stories
    assert result.metrics["stories_linked"] >= 0.75
    # read against the labelled links (2026-12-05): 2 of the 4 through one act told by two outlets (7 links
    # labelled same, 1 unclear), no link left unlabelled
    assert result.metrics["stories_linked_one_act"] >= 0.5
    assert result.counts["links_unlabelled"] == 0
    assert result.counts["joining_clusters"] == 0
    assert result.counts["quote_joining_clusters"] == 0


def test_a_summary_of_many_acts_is_not_one_of_them(store: Store) -> None:
    # "Mr. Erdogan has long threatened to send troops" is not the offensive he announced that week, however
    # many words they share; two outlets' summaries may be one
    a, b = _mention(), _mention(pk=2, article_pk=2, words=cluster_words.content_words(CALL_B))
    assert rules.event_score(a, b) is not None
    summary = _mention(pk=2, article_pk=2, words=cluster_words.content_words(CALL_B), repeated=True)
    assert rules.one_and_many(a, summary) and rules.event_score(a, summary) is None
    assert rules.event_score(_mention(repeated=True), summary) is not None
    # in the store: the summary starts a cluster of its own, and a later report of the act joins the act's
    store.write(make("a", [(CALL, ("USAGOV", "RUSGOV", "040"))]))
    store.write(make("b", [(CALL_B, ("USAGOV", "RUSGOV", "040"))], source="Outlet B", repeated=True))
    store.write(make("c", [(CALL, ("USAGOV", "RUSGOV", "040"))], source="Outlet C"))
    found = event_clusters_by_article(store)
    assert found["a"] == found["c"] != found["b"]


def test_captions_of_two_stated_days_never_share_a_cluster_through_others(store: Store) -> None:
    # a caption of 16 July and one of 18 July each match a third that states no day of its own: the third
    # joins the first, and the second may not join that cluster through it
    words = "Trump meets Putin in Helsinki for talks on Syria and nuclear arms"
    store.write(make("a", [(CAPTION + words + " on July 16.", ("USAGOV", "RUSGOV", "040"))],
                     event_date="2018-07-16"))  # fmt: skip
    store.write(make("b", [(CAPTION + words + ".", ("USAGOV", "RUSGOV", "040"))], source="Outlet B"))
    store.write(make("c", [(CAPTION + words + " on July 18.", ("USAGOV", "RUSGOV", "040"))],
                     source="Outlet C", published="2018-07-18", event_date="2018-07-18"))  # fmt: skip
    found = event_clusters_by_article(store)
    assert found["a"] == found["b"] and found["c"] != found["a"]
