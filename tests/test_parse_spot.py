"""The pre-check (parse/spot.py) never says "no claim" where the lexicon finds a therapy and a condition,
and the skimmed extraction it reads has the full extraction's length and folded text."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

import factcheck
from factcheck.ingest.html import html_to_page
from factcheck.parse.normalize import fold
from factcheck.parse.spot import fold_text

DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "dev" / "cases.jsonl"


@pytest.fixture(scope="module")
def checker():
    return factcheck.load()


def _pair(checker, text: str) -> bool:
    labels = {t.label for t in checker.lexicon.find(text)}
    return "THERAPY" in labels and bool(labels & {"CONDITION", "SUBTYPE"})


def _typo(text: str, rng: random.Random) -> str:
    """One edit (swap, drop, double or change a letter) in every fifth long word."""
    words = text.split(" ")
    for i, w in enumerate(words):
        if len(w) >= 6 and w.isalpha() and rng.random() < 0.2:
            k = rng.randrange(1, len(w) - 1)
            edit = rng.randrange(4)
            w = (w[:k] + w[k + 1] + w[k] + w[k + 2:] if edit == 0 else w[:k] + w[k + 1:] if edit == 1
                 else w[:k] + w[k] + w[k:] if edit == 2 else w[:k] + rng.choice("aeiourst") + w[k + 1:])
            words[i] = w
    return " ".join(words)


SAMPLES = [
    "Stem cell therapy for multiple sclerosis.",
    "Stem cel therapy for multiple scelrosis and Parkinsons.",  # misspellings the fuzzy pass corrects
    "Mesenchymal stem cells (MSCs) help MS patients.",  # abbreviations, one defined on the page
    "We offer stemcells treatments; autism in kids responds.",
    "MSC injections \u2026 for COPD \u2013 results in weeks",  # ellipsis and dash change folded length
    "Ste\u00admcell ther\u00adapy for mult\u00adiple sclerosis",  # soft hyphens fold to nothing
    "\uff2d\uff33\uff23 for \uff2d\uff33",  # full-width abbreviations
    "st\u0435m \u0441ell th\u0435rapy for autism",  # Cyrillic look-alikes
    "Our bakery uses culture starters; the factory produces devices for children and adults.",
    "Brush strokes and stem ginger: a recipe for the whole family.",
    "ALL CAPS HEADING: TREATED WITH CARE",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_spot_agrees_with_the_lexicon_or_errs_towards_maybe(checker, text):
    assert fold_text(text) == fold(text)[0]
    if _pair(checker, text):
        assert checker.may_claim(text)


def test_spot_says_no_for_off_topic_text(checker):
    assert not checker.may_claim("Brush strokes and stem ginger: a recipe for the whole family.")
    assert not checker.may_claim("Book your gym session. Our trainers help adults and children get fit.")
    assert checker.may_claim("Stem cell therapy for multiple scelrosis")


@pytest.mark.skipif(not DEV.exists(), reason="../shared corpus absent")
def test_spot_never_misses_a_dev_page_even_with_typos(checker):
    rng = random.Random(7)
    checked = pairs = 0
    with open(DEV, encoding="utf-8") as fh:
        for line in fh:
            case = json.loads(line)
            if case.get("format") != "html":
                continue
            full = html_to_page(case["text"], source=case["id"])
            skim = html_to_page(case["text"], source=case["id"], skim=True)
            assert len(skim.text) == len(full.text) and skim.warnings == full.warnings
            assert fold_text(skim.text) == fold(full.text)[0]
            for text in (full.text, _typo(full.text, rng)):
                checked += 1
                if _pair(checker, text):
                    pairs += 1
                    assert checker.may_claim(text), case["id"]
    assert pairs > 20


HTML = """<html><head><title>Stem cell therapy</title><meta name="description" content="Clinic"></head>
<body><nav>Home</nav><h1>S<span>tem</span> cell<b>s</b></h1><p>for multiple
   scl<i>erosis</i><img alt="autism therapy"> and more</p><ul><li>one</li><li>two</li></ul>
<div class="cookie-banner">We use cookies</div><table><tr><td>a</td><td>b<br>c</td></tr></table>
<!-- a comment --><p>last\u00a0words &amp; more</p></body></html>"""


def test_skim_keeps_length_warnings_and_folded_text_of_the_full_extraction():
    full = html_to_page(HTML, source="x")
    skim = html_to_page(HTML, source="x", skim=True)
    assert "multiple sclerosis" in full.text and "Stems cell" not in full.text
    assert len(skim.text) == len(full.text) and skim.warnings == full.warnings
    assert fold_text(skim.text) == fold(full.text)[0]
    assert skim.blocks == []


def test_full_extraction_after_a_skim_of_the_same_document_is_a_fresh_one():
    """The full extraction takes the skim's prepared tree back (ingest/html.py ``_Skimmed``)."""
    from factcheck.ingest.html import MAX_DEPTH

    deep = "<html><body>" + "<div>" * (MAX_DEPTH + 5) + "deep text" + "</div>" * (MAX_DEPTH + 5) + "</body></html>"
    images = ('<html><body><p>a<img alt="one"><img alt="two">b</p><ul><li><img alt="three"></li></ul>'
              '<img src="x.png"><p>end</p></body></html>')
    for doc in (HTML, HTML.encode(), images, images.encode(), deep * 10, (deep * 10).encode()):
        fresh = html_to_page(doc, source="x")
        html_to_page(doc, source="x", skim=True)
        again = html_to_page(doc, source="x")
        assert again == fresh
        assert again.blocks and again.warnings == fresh.warnings
        assert html_to_page(doc, source="x") == fresh  # no skim before: parsed again


def test_check_html_report_is_the_full_paths_report(checker):
    for html in (HTML, "<html><body><p>Fresh bread every morning.</p></body></html>"):
        quick = checker.check_html(html, source="x").to_report_dict()
        full = checker.check_page(html_to_page(html, source="x", max_chars=2_000_000)).to_report_dict()
        assert quick == full


def test_one_merged_pass_finds_the_labels_of_the_plain_and_case_checked_passes(checker):
    """Where offsets line up, the merged automaton pass gives the two passes' answer and labels."""
    from factcheck.parse.spot import _case_char, non_ascii_chars
    from factcheck.parse.spot import _pair as pair

    checker.may_claim("x")
    spotter = checker._spotter
    assert spotter._merged is not None
    rng = random.Random(3)
    texts = list(SAMPLES)
    if DEV.exists():  # the dev pages add variety; the sample texts and random word mixes do without them
        with open(DEV, encoding="utf-8") as fh:
            for line in fh:
                case = json.loads(line)
                text = html_to_page(case["text"], source="x").text if case.get("format") == "html" else case["text"]
                texts += [text, _typo(text, rng)]
    words = ["MS", "Ms", "ms", "MSC", "MSCs", "MSC's", "ALS", "ALS-related", "(MS)", "EM", "RA", "stem", "cell",
             "therapy", "for", "autism", "\u2019s", "\u00e9", "-", "/", "\u00a0", "HSCT", "PRP", "\uff2d\uff33",
             "COVID-19", "covid 19", "long-COVID", "\u00e9t\u00e9", "\u0436", "\u00b2", "(ALS)", "MS,", "'s", "used",
             "multiple", "sclerosis", "\u2014"]
    texts += [" ".join(rng.choice(words) for _ in range(rng.randrange(1, 12))) for _ in range(3000)]
    merged = bounded = 0
    for text in texts:
        chars = set() if text.isascii() else non_ascii_chars(text)
        if not spotter._aligned(chars):
            continue
        merged += 1
        folded = fold_text(text, chars)
        cased_text = text
        for c in chars:
            cased_text = cased_text.replace(c, _case_char(c))
        two: set[str] = set()
        spotter._scan(spotter._plain, folded, two)
        if not pair(two):
            spotter._scan(spotter._cased, cased_text, two)
        one = spotter._scan_merged(folded, cased_text, set())
        assert pair(one) == pair(two), text[:80]
        if not pair(two):
            assert one == two, text[:80]
        if spotter._same_bounds(chars):
            bounded += 1
            three = spotter._scan_bounded(folded, cased_text, set())
            assert pair(three) == pair(two), text[:80]
            if not pair(two):
                assert three == two, text[:80]
            # the page text itself, its pieces mapped only where a form is compared
            assert spotter._scan_bounded(folded, text, set(), chars) == three, text[:80]
    assert merged > 1000 and bounded > 1000


def test_word_matches_are_those_of_the_word_boundary_alternation():
    import re

    from factcheck.parse.spot import _word_matches

    rng = random.Random(5)
    vocab = ["reduce", "reduced", "reduces", "parents'", "year's", "year", "captain", "cellar", "\u00e9cellar"]
    pieces = [*vocab, " ", "_", "'", "-", "x", "1", "\u00e9", ".", "ab"]
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 15)))
        words = rng.sample(vocab, rng.randrange(1, 5))
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + r")\b")
        expected = [(m.start(), m.end(), m.group(1)) for m in pattern.finditer(text)]
        assert _word_matches(text, words) == expected, (text, words)


def test_lexicon_bounded_pass_finds_the_word_bounded_key_matches(checker):
    """Lexicon._bounded_matches (keys between spaces in a mapped copy) = the plain pass's filtered hits."""
    lexicon = checker.lexicon
    rng = random.Random(13)
    words = ["MS", "ms", "(MS)", "MSCs", "ALS", "stem", "cell", "therapy", "autism", "multiple", "sclerosis",
             "parkinson\u2019s", "covid-19", "covid 19", "long-covid", "knee", "pain", "\u00e9", "\u2013", "/", "_",
             "\u00a0", "stemcell", "esclerosis", "m\u00faltiple", "c\u00e9lulas", "madre", "x", "1", "\u201cms\u201d",
             "\u2605", "\u4e2d", "used", "alsace", "ms2"]
    texts = list(SAMPLES) + ["".join(rng.choice(words) + rng.choice([" ", "", ",", "-", "\u2019"])
                                     for _ in range(rng.randrange(1, 15))) for _ in range(3000)]
    for text in texts:
        folded = fold(text)[0]
        assert list(lexicon._bounded_matches(folded)) == list(lexicon._word_matches_in(folded)), text


def test_skim_text_is_the_collapsed_text_of_the_body():
    """``_skim_text`` skips the split where lexbor's stripped fragments are already collapsed."""
    from selectolax.lexbor import LexborHTMLParser

    from factcheck.ingest.html import _skim_text

    docs = [HTML, "<p>a</p><p>b c</p>", "<p>  a\n\tb </p> <div>\u00a0</div><p>c\u2028d</p>",
            "<p>\u00a0lead</p><p>tail\u00a0</p>", "<p></p><p> </p>", "<p>x  y</p><p>z\u00adw</p>",
            "<div><span> a </span><span>b</span>\n</div>", "<p>\u3000</p><p>e</p>", "<p>f</p><p>\u200b</p>"]
    for doc in docs:
        body = LexborHTMLParser(doc).body
        assert body is not None
        assert _skim_text(body) == " ".join(body.text(separator=" ").split()), doc


def _fold_text_per_page(text: str) -> str:
    """``fold_text`` as it was: each distinct character replaced, then ``lower()`` of the whole page."""
    from factcheck.parse.normalize import fold_char
    from factcheck.parse.spot import non_ascii_chars

    for char in non_ascii_chars(text):
        if (to := fold_char(char)) != char:
            text = text.replace(char, to)
    text = text.lower()
    for char in "-_/\t\r\n\f\v":
        text = text.replace(char, " ")
    return text


def test_fold_text_on_bytes_is_the_per_page_fold():
    """The bytes path (characters folding alone) and the other one give the page-wide fold."""
    from factcheck.parse.spot import _folds_alone

    rng = random.Random(11)
    pieces = ["Stem", "CELL", "-", "_", "/", "\t", "\n", " ", "\u00e9", "\u00c9", "\u2019", "\u2014", "\u00a0",
              "\u00ad", "\u2713", "\u2605", "\u201c", "\u00df", "\u0130", "\u03a3", "\u03c3", "\u0416", "\u0436",
              "\u0441", "\uff2d", "\u00b2", "\u4e2d", "\ufb01", "\u1e9e", "MS", "x", "1", "'"]
    texts = SAMPLES + ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 20))) for _ in range(4000)]
    fast = 0
    for text in texts:
        assert fold_text(text) == _fold_text_per_page(text), text
        fast += all(map(_folds_alone, set(text) - set(map(chr, range(128)))))
    assert 100 < fast < len(texts)  # both paths were taken
    assert not _folds_alone("\u03a3") and not _folds_alone("\u0416") and _folds_alone("\u00e9")


def test_corrected_words_are_those_of_the_page_cut_as_strings(checker):
    """The bytes word cut finds the corrected words a string cut of the folded text finds."""
    import re

    from factcheck.parse.spot import Spotter

    spotter = Spotter(checker.lexicon)
    rng = random.Random(17)
    words = ["captain", "camera", "reduce", "application", "factory", "cellar", "parkinsons", "scelrosis", "year's",
             "'reduce", "reduce'", "cel", "therapy", "\u00e9cellar", "caf\u00e9", "\u2713", "x1", "multiple"]
    for _ in range(2000):
        text = " ".join(rng.choice(words) for _ in range(rng.randrange(1, 12)))
        folded = fold_text(text)
        expected = set()
        for word in re.findall(r"[a-z']+", folded.encode("ascii", "replace").decode("ascii")):
            token = word.lstrip("'")
            if len(token) >= 6 and checker.lexicon.correction(token) is not None:
                expected.add(token)
        assert sorted(spotter._corrected_words(folded)) == sorted(expected), text


def test_fuzzy_pass_reads_only_the_keys_holding_the_corrected_word(checker):
    """Windows read with the keys holding the corrected word give the labels of all keys."""
    from factcheck.parse.spot import Spotter

    narrow, wide = Spotter(checker.lexicon), Spotter(checker.lexicon)
    wide._covering_keys = lambda fixed: wide._plain  # type: ignore[method-assign]
    rng = random.Random(19)
    texts = [_typo(t, rng) for t in SAMPLES for _ in range(20)]
    words = ["stem", "cel", "cell", "therapy", "therapie", "for", "multiple", "scelrosis", "sclerosis", "parkinsons",
             "reduce", "factory", "captain", "knee", "osteoarthritis", "osteoartritis", "autsim", "injections",
             "mesenchymal", "mesenchimal", "crowns", "cancel", "lessons", "year's", "-", ",", "\u00e9"]
    texts += [" ".join(rng.choice(words) for _ in range(rng.randrange(2, 14))) for _ in range(3000)]
    differing = 0
    for text in texts:
        folded = fold_text(text)
        for spotter in (narrow, wide):
            spotter._corrected_words(folded)
        useful = sorted(narrow._corrected_words(folded))
        a = narrow._fuzzy_labels(folded, useful, set(), False)
        b = wide._fuzzy_labels(folded, useful, set(), False)
        assert (a == b) or (_spot_pair(a) and _spot_pair(b)), text
        differing += bool(a)
    assert differing > 100  # corrections made labels


def _spot_pair(labels: set[str]) -> bool:
    from factcheck.parse.spot import _pair as pair

    return pair(labels)


def test_a_page_whose_claim_terms_are_misspelt_may_claim(checker):
    """Only corrections make the pair here (on a page with non-ASCII characters): the spotter must say maybe."""
    html = ("<html><head><title>Clinic \u2013 \u00e9t\u00e9</title></head><body><p>\u2713 Our mesenchimal stem cells "
            "help multiple scelrosis \u2014 \u201cbook now\u201d.</p></body></html>")
    page = html_to_page(html, source="x", skim=True)
    assert not page.text.isascii()
    terms = checker.lexicon.find(html_to_page(html, source="x").text)
    assert {t.label for t in terms if t.method == "fuzzy"} == {"THERAPY", "CONDITION"}
    assert checker.may_claim(page.text)
    assert not checker.may_claim(page.text.replace("mesenchimal stem cells", "recipes"))
    assert checker.check_html(html).claims


def test_claim_terms_only_in_boilerplate_give_the_line_of_the_page_without_them(checker):
    """Terms in a menu, footer or cookie banner are no page text: the report is that of the page without them."""
    body = "<h1>Sourdough at home</h1><p>Feed the starter \u2013 then bake. It\u2019s easy.</p>"
    boiler = ("<nav><a href=/t>Stem cell therapy for multiple sclerosis</a></nav>"
              "<div class='cookie-banner'>We use cookies. Mesenchymal stem cells for autism.</div>"
              "<footer>PRP injections for knee osteoarthritis</footer>")
    with_terms = f"<html><head><title>Bread</title></head><body>{boiler}{body}</body></html>"
    without = f"<html><head><title>Bread</title></head><body>{body}</body></html>"
    assert _pair(checker, html_to_page(boiler.replace("nav>", "p>").replace("footer>", "p>"), source="x").text)
    a, b = checker.check_html(with_terms), checker.check_html(without)
    assert a.stance == "no_claim_terms" and not a.claims
    assert a.model_dump() == b.model_dump()
