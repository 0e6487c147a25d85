"""When and where events happened, against a hand annotation of the bundled samples and allsides news.

Each row is one event as a reader marks it: the article, the trigger as written, the start of its sentence,
the day it happened (ISO) by the issue's rule (the date that governs the event's clause, else the only one
dating a clause it is part of, else the dateline's, else none: a sentence that does not date its event gets
none even when the day is easy to guess), the places a reader would accept for it (empty: the text does not
say, and any place given is wrong), and why. Scores: date accuracy over all rows; place coverage (events
placed) and precision (placed events whose place is acceptable) over the samples, the issue's measure.
Measured 2026-12-02 (issue 9): samples date accuracy 1.00 (57 rows), 0.68 placed and 0.95 of those
right; allsides date accuracy 1.00 (12 rows). Both sets were looked at while the rules were written: they
are development sets, and the floors sit under them.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from tacitus.jobs import sample_articles
from tacitus.model import Article
from tacitus.pipeline import analyze_batch

# (article id, trigger, sentence start, date, acceptable places, reason)
SAMPLES = [
    ("01-nairobi-fuel-levy-protest", "protested", "Thousands of demonstrators", "2024-03-11", {"Nairobi"},
     "'in Nairobi on Monday'; published Tuesday 2024-03-12"),
    ("01-nairobi-fuel-levy-protest", "arrested", "Thousands of demonstrators", "2024-03-11", {"Nairobi"},
     "the coordinated clause shares Monday; the clashes were in the city centre"),
    ("01-nairobi-fuel-levy-protest", "marched", "The protesters marched", None, {"Nairobi"},
     "undated sentence; Uhuru Park to parliament is in Nairobi"),
    ("01-nairobi-fuel-levy-protest", "accused", "Opposition leader Grace", None, {"Nairobi", "Kenya"},
     "undated; a Kenyan opposition leader on the Nairobi protest"),
    ("01-nairobi-fuel-levy-protest", "called", "She called on", None, {"Nairobi", "Kenya"}, "as above"),
    ("01-nairobi-fuel-levy-protest", "praised", "Interior Minister Daniel", None, {"Nairobi", "Kenya"},
     "the Kenyan government in the Nairobi story"),
    ("01-nairobi-fuel-levy-protest", "threatened", "Transport unions have", None, {"Nairobi", "Kenya"},
     "'next week' dates the strike, not the threat"),
    ("02-portugal-brazil-phone-call", "spoke", "Prime Minister Miguel", "2023-06-06", set(),
     "'by telephone on Tuesday'; a call between two capitals has no one place"),
    ("02-portugal-brazil-phone-call", "visit", "Sardinha invited Duarte", None, {"Lisbon"},
     "'visit Lisbon in the autumn': a season is no day"),
    ("02-portugal-brazil-phone-call", "praised", "Sardinha praised Brazil", None, set(), "not dated or placed"),
    ("02-portugal-brazil-phone-call", "concluded", "The European Union and", "2019-06-28", set(),
     "'on June 28, 2019'; no place said"),
    ("02-portugal-brazil-phone-call", "rejected", "Brazilian officials have", None, set(), "not dated or placed"),
    ("03-zamfara-police-post-attack", "attacked", "Gunmen attacked a police", "2024-05-19", {"Zamfara State"},
     "'in Zamfara State ... on Sunday'; published Tuesday"),
    ("03-zamfara-police-post-attack", "killed", "Gunmen attacked a police", "2024-05-19", {"Zamfara State"},
     "the coordinated clause of the same attack"),
    ("03-zamfara-police-post-attack", "carried", "Armed gangs have", None, {"Zamfara", "Zamfara State"},
     "'in recent years' is no day"),
    ("04-australia-myanmar-sanctions", "imposed", "Australia imposed sanctions on", "2024-02-01",
     {"Canberra", "Australia"}, "'on Thursday', the publication day; announced in Canberra"),
    ("04-australia-myanmar-sanctions", "announced", "Foreign Minister Claire", None, {"Canberra"},
     "'in Canberra'; the sentence gives no day"),
    ("04-australia-myanmar-sanctions", "coordinated", "She said that Australia", None, {"Canberra", "Australia"},
     "the Australian government's act, said in Canberra"),
    ("04-australia-myanmar-sanctions", "rejected", "Myanmar's military government", "2024-02-01",
     {"Naypyitaw", "Myanmar"}, "'on Thursday'; the spokesman spoke in Naypyitaw"),
    ("04-australia-myanmar-sanctions", "accused", "A spokesman for the", None, {"Naypyitaw", "Myanmar"},
     "he 'told reporters in Naypyitaw'"),
    ("04-australia-myanmar-sanctions", "praised", "The Asia Rights Forum", None, {"Bangkok"},
     "a group 'based in Bangkok'"),
    ("04-australia-myanmar-sanctions", "imposed", "Australia first imposed", None, {"Canberra", "Australia"},
     "'in February 2023' is a month, not a day"),
    ("05-korea-vietnam-state-visit", "hosted", "President Tran Minh Quang", "2024-10-17",
     {"Presidential Palace", "Hanoi"}, "'at the Presidential Palace on Thursday'"),
    ("05-korea-vietnam-state-visit", "signed", "The two leaders signed", None, {"Hanoi"},
     "undated sentence (the day is the previous sentence's); the visit is in Hanoi"),
    ("05-korea-vietnam-state-visit", "praised", "Han praised Vietnam", None, {"Hanoi"}, "on the Hanoi visit"),
    ("05-korea-vietnam-state-visit", "welcomed", "Quang welcomed the", None, {"Hanoi"}, "the host, in Hanoi"),
    ("05-korea-vietnam-state-visit", "agreed", "The two governments agreed", None, {"Hanoi"},
     "'by 2030' dates the target, not the agreement"),
    ("05-korea-vietnam-state-visit", "meet", "Han will travel to", "2024-10-18", {"Ho Chi Minh City"},
     "'on Friday', the day after publication: future tense"),
    ("06-ghana-togo-electricity-debt", "threatened", "Ghana threatened on", "2023-11-14", {"Accra", "Ghana"},
     "'on Tuesday'; the minister spoke in Accra"),
    ("06-ghana-togo-electricity-debt", "accused", "Energy Minister Kwame", None, {"Accra", "Ghana"},
     "at the news conference in Accra"),
    ("06-ghana-togo-electricity-debt", "rejected", "She rejected the claim", None, {"Lomé", "Togo"},
     "'in October' dates the payment, not the rejection"),
    ("07-peru-official-arrest", "arrested", "Peruvian police arrested", "2024-08-28", {"Lima"},
     "'in Lima on Wednesday'; published Thursday"),
    ("07-peru-official-arrest", "accused", "Prosecutors accused Quispe", None, {"Lima", "Peru"},
     "'between 2019 and 2022' dates the bribes"),
    ("07-peru-official-arrest", "rejected", "Quispe’s lawyer", None, {"Lima", "Peru"},
     "outside the courthouse, in the Lima case"),
    ("07-peru-official-arrest", "arrested", "Police also arrested", "2024-08-28", {"Arequipa"},
     "'in Arequipa on Wednesday'"),
    ("07-peru-official-arrest", "cooperate", "The Arequipa regional", None, {"Arequipa"},
     "the Arequipa government; nothing puts it in Lima"),
    ("08-senegal-mauritania-fishing-talks", "signed", "Senegal and Mauritania", "2024-01-23", {"Dakar"},
     "'in Dakar on Tuesday'"),
    ("08-senegal-mauritania-fishing-talks", "hosted", "Fisheries Minister Aminata", None, {"Dakar"},
     "'at the ministry', in Dakar"),
    ("08-senegal-mauritania-fishing-talks", "thanked", "Ould Cheikh thanked", None, {"Dakar"},
     "the guest at the Dakar talks"),
    ("08-senegal-mauritania-fishing-talks", "detained", "Boats from Saint-Louis", None, set(),
     "'in recent years', at sea: no named place"),
    ("08-senegal-mauritania-fishing-talks", "agreed", "The two ministers agreed", None, {"Nouakchott", "Dakar"},
     "'in June' is no day; agreed in Dakar to meet in Nouakchott"),
    ("09-bolivia-chile-border-trucks", "accused", "Bolivia accused Chilean", "2023-09-19", {"La Paz", "Bolivia"},
     "'on Tuesday'; the foreign minister in La Paz"),
    ("09-bolivia-chile-border-trucks", "summoned", "Foreign Minister Ernesto", None, {"La Paz"}, "'in La Paz'"),
    ("09-bolivia-chile-border-trucks", "demanded", "He demanded that Chile", None, {"La Paz", "Bolivia"},
     "'within 48 hours' is a deadline, not the day"),
    ("09-bolivia-chile-border-trucks", "rejected", "The Chilean government", "2023-09-20", {"Santiago", "Chile"},
     "'on Wednesday', the publication day"),
    ("09-bolivia-chile-border-trucks", "hold", "Reyes said Chile was", None, {"Santiago", "Chile"},
     "she 'said in Santiago'"),
    ("sample-jsonl-01", "visited", "Foreign Minister Sofía", "2024-04-24", {"Ottawa"}, "'visited Ottawa on Wednesday'"),
    ("sample-jsonl-01", "praised", "Aranda praised Canada", None, {"Ottawa"}, "said on the Ottawa visit"),
    ("sample-jsonl-01", "criticized", "She also criticized", None, {"Ottawa"},
     "'on February 29, 2024' dates the visa decision, not the criticism"),
    ("sample-jsonl-01", "hold", "The ministers agreed to", "2024-06-12", {"Mexico City"},
     "'in Mexico City on June 12': the meeting's day, ahead"),
    ("sample-jsonl-01", "meet", "Aranda will travel to", "2024-04-26", {"Washington"}, "'to Washington on Friday'"),
    ("sample-jsonl-02", "killed", "Al-Shabaab militants", "2023-12-04", {"Somalia"},
     "'in central Somalia on Monday'"),
    ("sample-jsonl-02", "seized", "The group said that", None, {"Somalia"}, "at the base in Somalia"),
    ("sample-jsonl-03", "protested", "Thousands of farmers", "2024-02-01", {"Brussels"},
     "'in Brussels yesterday', published 2024-02-02"),
    ("sample-jsonl-03", "arrested", "Belgian police arrested", "2024-02-01", {"Brussels"}, "'on Thursday'"),
    ("sample-jsonl-04", "summoned", "Iran summoned the", "2023-12-20", {"Tehran"}, "'in Tehran on Wednesday'"),
    ("sample-jsonl-04", "rejected", "Foreign ministry spokesman", None, {"Tehran", "Iran"},
     "Iran's spokesman, after the Tehran summons"),
]  # fmt: skip

# Real news from the allsides corpus (../shared/corpora/allsides-intl.jsonl.gz): dates only (places in
# opinion and analysis pieces are rarely stated; the samples measure them).
ALLSIDES = [
    ("YmZlSMI6zTZ3HrJt", "proposed", "It would be huge news", "2018-07-25",
     "'proposed on Wednesday'; published Thursday 2018-07-26"),
    ("YmZlSMI6zTZ3HrJt", "agreed", "It would be huge news", None, "a hypothetical: the date is the proposal's"),
    ("YmZlSMI6zTZ3HrJt", "met", "And Trump's reversal", None, "'last week' is no day"),
    ("l7Ob2WfP3A6nqMWm", "killing", "Suicide bombers blew", "2016-05-30",
     "the participle shares 'on Monday' (published Monday 2016-05-30)"),
    ("409hHbNNnQjd75ga", "military operation", "We’re less than", None,
     "'last night' dates the airstrike named in the phrase, not each president's operation"),
    ("WEyl4L0cnM1Y196e", "demanded", "Dianne Feinstein", "2018-03-15", "'on Thursday demanded'"),
    ("37XFUt7kRJtd20Z0", "agreed", "The secretary of state", "2013-04-13",
     "'had agreed Saturday', published Saturday"),
    ("CVsYdQfF5z0cOz5K", "refused", "Mr. Obama Wednesday", "2014-09-10", "'Wednesday night refused'"),
    ("GGtsDM78g2ogl8f7", "destroyed", "Trump announced that", "2019-07-18",
     "'on Thursday', published Saturday 2019-07-20"),
    ("fhVFhrtB1CJ83hvp", "arrested", "Canadian authorities said", None,
     "'said Wednesday' dates the saying; the arrest was earlier and the sentence does not say when"),
    ("tkLezS0eRzjKESpt", "leave", "If May fails to", "2019-06-01", "'on June 1', ahead: will leave"),
    ("8Agls0jWNQ6r3u2y", "slaps", "On Friday, speaking", None,
     "Friday is when Haley spoke; 'slaps' is in what she reported"),
]  # fmt: skip


def _find(record, trigger: str, start: str):
    for event in record.events:
        sentence = record.span_text(event.sentence_span) if event.sentence_span else ""
        if record.span_text(event.trigger_span) == trigger and sentence.startswith(start):
            return event
    return None


@pytest.fixture(scope="module")
def sample_records() -> dict:
    articles = sample_articles()
    return {r.id: r for r in analyze_batch(articles)}


def test_sample_event_dates_and_places(sample_records) -> None:
    dates_right = placed = places_right = 0
    for article_id, trigger, start, date, places, reason in SAMPLES:
        event = _find(sample_records[article_id], trigger, start)
        assert event is not None, f"{article_id}: no {trigger!r} event in {start!r}... ({reason})"
        dates_right += event.date == date
        if event.place is not None:
            placed += 1
            places_right += event.place.name in places
    n = len(SAMPLES)
    # issue 9 goals: >= 0.60 of events placed, >= 0.90 of those right (measured 1.00, 0.68, 0.95)
    assert dates_right / n >= 0.95, dates_right
    assert placed / n >= 0.60, placed
    assert places_right / placed >= 0.90, (places_right, placed)


ALLSIDES_PATH = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "allsides-intl.jsonl.gz"


@pytest.mark.skipif(not ALLSIDES_PATH.exists(), reason="../shared/corpora not available")
def test_allsides_event_dates() -> None:
    wanted = {row[0] for row in ALLSIDES}
    articles = []
    with gzip.open(ALLSIDES_PATH, "rt", encoding="utf-8") as lines:
        for line in lines:
            item = json.loads(line)
            if item["id"] in wanted:
                articles.append(Article(id=item["id"], text=item["text"], published=item.get("date")))
    records = {r.id: r for r in analyze_batch(articles)}
    right = 0
    for article_id, trigger, start, date, reason in ALLSIDES:
        event = _find(records[article_id], trigger, start)
        assert event is not None, f"{article_id}: no {trigger!r} event in {start!r}... ({reason})"
        right += event.date == date
    assert right / len(ALLSIDES) >= 0.90, right


def _dated(text: str, published: str) -> list[tuple[str, str | None, str]]:
    from tacitus.pipeline import analyze

    r = analyze(text, published=published)
    return [(r.span_text(e.trigger_span), e.date, e.mood) for e in r.events]


def test_a_done_act_is_never_dated_after_its_article() -> None:
    # a day of a month with no year is read as the nearest one when the past reading is half a year back,
    # which put "resigned on February 13", told in December, ten weeks ahead
    events = _dated("Flynn resigned on February 13 after he had spoken with Kislyak.", "2017-12-01")
    assert events and all(date == "2017-02-13" for _, date, _ in events), events
    # a written year is the writer's, whatever the tense
    events = _dated("American jets attacked the Syrian airbase on April 14, 2018.", "2015-10-08")
    assert events and all(date == "2018-04-14" for _, date, _ in events), events
    # the past reading within half a year was already the tagger's
    events = _dated("Obama met Netanyahu on Monday.", "2013-03-21")
    assert events and all(date == "2013-03-18" for _, date, _ in events), events


def test_a_deadline_or_a_bound_is_not_the_day_of_the_act() -> None:
    # the act happened before the day it names: with no other day in the sentence it is undated
    for text, published in (
        ("Gowdy set a May 1 deadline for the interview with Clinton.", "2015-03-31"),
        ("Gowdy set a deadline of May 1 for Clinton's interview.", "2015-03-31"),
        ("Nadler asked Barr for the complete report by April 2.", "2019-03-29"),
        ("Johnson put off the decision on Huawei until after the Dec. 12 election.", "2019-12-04"),
    ):
        events = _dated(text, published)
        assert events and all(date is None for _, date, _ in events), (text, events)
    # the day the act was done still dates it, and a range starts on its first day
    events = _dated("Nadler asked Barr for the complete report on Monday.", "2019-03-29")
    assert events and all(date == "2019-03-25" for _, date, _ in events), events


def test_an_act_within_a_dated_happening_is_of_its_day() -> None:
    # a day qualifying a noun is the noun's, and the act's too when the act happened in it
    events = _dated(
        "Ambassador Stevens and three other Americans were killed in the Sept. 11 attack.", "2012-11-14"
    )
    assert events and all(date == "2012-09-11" for _, date, _ in events), events
    events = _dated("Two soldiers were killed in Monday's attack on the base in Kandahar.", "2012-11-14")
    assert events and all(date == "2012-11-12" for _, date, _ in events), events
