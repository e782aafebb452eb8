"""html_to_page / text_to_page: blocks, offsets, boilerplate, kinds, robustness; hypothesis invariants."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.ingest import IngestError, Page, html_to_page, text_to_page
from factcheck.ingest.html import NO_TEXT

CLINIC = """<!DOCTYPE html><html><head>
<meta charset="utf-8"><title>Stem Cell Therapy for MS | Regen Clinic</title>
<meta name="description" content="MSC therapy for multiple sclerosis in Cancún.">
<meta property="og:description" content="Reverse MS with stem cells.">
<style>.x{color:red}</style><script>var secret = "script text";</script>
</head><body>
<div id="cookie-notice" class="cookie-banner"><p>We use cookies to improve your experience.</p>
<button>Accept all</button></div>
<header class="site-header"><a class="logo" href="/">Regen Clinic</a><h1>Stem cell therapy for MS</h1>
<nav><ul><li><a href="/">Home</a></li><li><a href="/contact">Contact</a></li></ul></nav></header>
<main><article>
<p>Our <b>stem <i>cell</i> therapy</b> can reverse MS.</p><p>Next paragraph here.</p>
<h2>Benefits</h2><ul><li>Improve mobility</li><li><p>Reduce fatigue</p></li></ul>
<table><tr><th>Package</th><td>$9,500</td></tr></table>
<blockquote class="testimonial"><p>I walk again!</p></blockquote>
<div class="testimonial-card"><p>Best decision ever.</p></div>
<div>Loose text in a div <img src="a.jpg" alt="Patient after MSC infusion"> and more.</div>
<p>Fish&nbsp;&amp;&nbsp;chips &eacute;t&eacute; stem\u00adcell M\u200bSC</p>
</article></main>
<div class="menu-wrap" role="navigation"><ul><li>Treatments</li><li>Pricing</li></ul></div>
<aside class="widget-area"><h2>Recent Posts</h2></aside>
<div class="bottom-bar" id="ftr"><p>© 2024 Regen Clinic. All rights reserved.</p></div>
<footer><p>Footer text</p></footer>
<template><p>template text</p></template><noscript>Enable JavaScript</noscript>
<svg><text>svg text</text></svg>
</body></html>"""


def blocks_of(page: Page) -> list[tuple[str, str]]:
    return [(b.kind, page.text[b.start:b.end]) for b in page.blocks]


def assert_offsets_exact(page: Page) -> None:
    pos = 0
    for i, b in enumerate(page.blocks):
        assert b.start == pos, "blocks tile the text, separated by one newline"
        chunk = page.text[b.start:b.end]
        assert chunk and "\n" not in chunk and chunk == chunk.strip()
        pos = b.end + 1
        if i + 1 < len(page.blocks):
            assert page.text[b.end] == "\n"
    assert pos - 1 == len(page.text) or not page.blocks


def test_clinic_page_blocks_and_kinds():
    page = html_to_page(CLINIC, source="clinic.html", url="https://regen.example/ms")
    assert blocks_of(page) == [
        ("title", "Stem Cell Therapy for MS | Regen Clinic"),
        ("meta", "MSC therapy for multiple sclerosis in Cancún."),
        ("meta", "Reverse MS with stem cells."),
        ("heading", "Stem cell therapy for MS"),
        ("paragraph", "Our stem cell therapy can reverse MS."),
        ("paragraph", "Next paragraph here."),
        ("heading", "Benefits"),
        ("list_item", "Improve mobility"),
        ("list_item", "Reduce fatigue"),
        ("table_cell", "Package"),
        ("table_cell", "$9,500"),
        ("testimonial", "I walk again!"),
        ("testimonial", "Best decision ever."),
        ("text", "Loose text in a div"),
        ("alt", "Patient after MSC infusion"),
        ("text", "and more."),
        ("paragraph", "Fish & chips été stem\u00adcell M\u200bSC"),
    ]
    assert page.source == "clinic.html" and page.url == "https://regen.example/ms"
    assert page.warnings == []
    assert_offsets_exact(page)


def test_boilerplate_is_dropped():
    text = html_to_page(CLINIC, source="c").text
    for junk in ("cookies", "Accept all", "Home", "Contact", "Treatments", "Recent Posts", "All rights",
                 "Footer text", "template text", "Enable JavaScript", "svg text", "script text", "color:red",
                 "\nRegen Clinic\n"):
        assert junk not in text, junk


def test_inline_elements_do_not_split_a_phrase_and_blocks_do_not_glue():
    html = "<p>stem <b>cell</b> <a href=x>therapy</a>.</p><p>Next</p><div>one</div><div>two</div>"
    page = html_to_page(html, source="m")
    assert blocks_of(page) == [("paragraph", "stem cell therapy."), ("paragraph", "Next"),
                               ("text", "one"), ("text", "two")]


def test_minified_blocks_do_not_glue():
    page = html_to_page("<h2>Results</h2><p>therapy.</p><p>Next</p><li>a</li><li>b</li>", source="m")
    assert page.text == "Results\ntherapy.\nNext\na\nb"


def test_entities_and_nbsp_decoded():
    page = html_to_page("<p>A&nbsp;&nbsp;B &lt;tag&gt; &quot;q&quot; &#8220;x&#8221; &rsquo;</p>", source="e")
    assert page.text == 'A B <tag> "q" “x” ’'


def test_soft_hyphen_and_zero_width_characters_are_kept():
    page = html_to_page("<p>stem&shy;cell M&#8203;SC</p>", source="z")
    assert page.text == "stem\u00adcell M\u200bSC"


def test_h1_inside_site_header_is_kept_but_header_links_are_not():
    page = html_to_page('<header><a href="/">Logo Co</a><h1>Main title</h1></header><p>Body.</p>', source="h")
    assert blocks_of(page) == [("heading", "Main title"), ("paragraph", "Body.")]


def test_article_header_is_kept():
    html = "<article><header><h1>Title</h1><p class=standfirst>MSCs cure MS.</p></header><p>x</p></article>"
    assert html_to_page(html, source="a").text == "Title\nMSCs cure MS.\nx"


def test_div_footer_and_div_menu_dropped():
    html = ('<div id="SITE_CONTAINER"><div id="SITE_HEADER"><div class="top-bar">+1 555</div></div>'
            '<div class="page-wrap"><p>Real claim.</p></div>'
            '<div class="menu-wrap" role="navigation"><ul><li>Home</li></ul></div>'
            '<div class="bottom-bar" id="ftr"><p>© Clinic</p></div></div>')
    assert html_to_page(html, source="d").text == "Real claim."


def test_wrapper_with_boilerplate_class_around_main_survives():
    html = '<form id="aspnetForm"><main><p>Claim inside a page-wide form.</p></main></form>'
    assert html_to_page(html, source="f").text == "Claim inside a page-wide form."
    html = '<div class="page has-sidebar"><h1>Title</h1><p>Claim.</p></div><div class="sidebar">x</div>'
    assert html_to_page(html, source="f").text == "Title\nClaim."


def test_contact_form_dropped():
    html = "<p>Claim.</p><form><label>Your name</label><input name=n><button>Send</button></form>"
    assert html_to_page(html, source="f").text == "Claim."


def test_js_only_page_has_no_body_blocks_and_a_warning():
    html = ("<html><head><script>app()</script></head><body><div id=root></div>"
            "<script>render()</script></body></html>")
    page = html_to_page(html, source="js")
    assert page.blocks == [] and page.text == "" and NO_TEXT in page.warnings


def test_all_navigation_page_warns_no_text():
    html = "<html><head><title>Menu</title></head><body><nav><a>Home</a><a>About</a></nav></body></html>"
    page = html_to_page(html, source="nav")
    assert blocks_of(page) == [("title", "Menu")]
    assert any(w.startswith("no text") for w in page.warnings)


def test_bytes_are_decoded_with_meta_charset_and_encoding_recorded():
    html = '<meta charset="windows-1252"><p>Déjà “vu”</p>'
    page = html_to_page(html.encode("cp1252"), source="cp")
    assert page.text == "Déjà “vu”" and page.encoding == "cp1252"


def test_late_meta_charset_bytes_have_no_replacement_characters():
    html = "<head><style>" + "p{margin:0}" * 300 + '</style><meta charset="windows-1252"></head><p>Café é</p>'
    page = html_to_page(html.encode("cp1252"), source="late")
    assert page.text == "Café é" and "\ufffd" not in page.text


def test_http_charset_beats_meta():
    html = '<meta charset="utf-8"><p>Café</p>'
    page = html_to_page(html.encode("cp1252"), source="h", http_charset="windows-1252")
    assert page.text == "Café"


def test_invalid_utf8_falls_back_to_decoding():
    page = html_to_page(b"<p>caf\xe9 cr\xe8me</p>", source="bad")
    assert page.text == "café crème" and page.encoding == "cp1252"


def test_binary_bytes_raise_ingest_error_naming_source():
    try:
        html_to_page(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, source="img.html")
    except IngestError as exc:
        assert exc.source == "img.html" and "PNG" in str(exc)
    else:
        raise AssertionError("no IngestError")


def test_max_chars_cuts_at_block_boundary_with_warning():
    html = "<p>" + "</p><p>".join(f"Sentence number {i}." for i in range(100)) + "</p>"
    page = html_to_page(html, source="m", max_chars=60)
    assert page.text == "Sentence number 0.\nSentence number 1.\nSentence number 2."
    assert any("max_chars=60" in w for w in page.warnings)
    assert_offsets_exact(page)


def test_one_million_character_line_is_cut_by_max_chars():
    html = "<p>" + "word " * 200_000 + "</p>"
    page = html_to_page(html, source="long", max_chars=10_000)
    assert 9_990 <= len(page.text) <= 10_000 and page.text.endswith("word")
    assert page.warnings


def test_one_million_character_line_without_limit():
    page = html_to_page("<p>" + "x" * 1_000_000 + "</p>", source="long")
    assert len(page.text) == 1_000_000


def test_100000_nested_divs_are_flattened_quickly():
    html = "<div>" * 100_000 + "deep text" + "</div>" * 100_000
    page = html_to_page(html, source="deep")
    assert page.text == "deep text"
    assert any("nested" in w for w in page.warnings)


def test_thousands_of_repeated_terms():
    html = "<p>" + "stem cell " * 5000 + "</p>"
    assert html_to_page(html, source="r").text.count("stem cell") == 5000


def test_empty_and_whitespace_only_html():
    for doc in ("", "   \n\t ", b"", b"  \n"):
        page = html_to_page(doc, source="e")
        assert page.text == "" and page.blocks == []


def test_text_to_page_headings_paragraphs_and_title():
    text = "Stem Cell Therapy for MS\n\nOur MSC therapy can reverse MS.\nWhy choose us\nWe are the best."
    page = text_to_page(text, source="t.txt")
    assert blocks_of(page) == [("title", "Stem Cell Therapy for MS"),
                               ("paragraph", "Our MSC therapy can reverse MS."),
                               ("heading", "Why choose us"),
                               ("paragraph", "We are the best.")]
    assert_offsets_exact(page)


def test_text_to_page_first_sentence_is_not_a_title():
    page = text_to_page("MSCs cure MS.\nMore", source="t")
    assert [b.kind for b in page.blocks] == ["paragraph", "heading"]


def test_text_to_page_whitespace_only_warns():
    page = text_to_page(" \n\t\n", source="w")
    assert page.blocks == [] and page.warnings


HTMLISH = st.lists(
    st.one_of(
        st.text(max_size=30),
        st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<b>", "</b>", "<li>", "<ul>", "<table><tr><td>",
                         "<br>", "<img alt='x y'>", "<script>", "</script>", "<header>", "<h1>", "</h1>",
                         "<blockquote>", "&nbsp;", "&amp;", "&#0;", "\x00", "\x02", "\x04", "<!--", "-->",
                         "<nav>", "<svg>", "<title>", "<meta name=description content='d'>", "\u00ad",
                         "<div class=footer>", "<form>", "<main>", "<p class=testimonial>"]),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HTMLISH)
def test_property_html_to_page_never_raises_and_offsets_slice_exactly(doc):
    page = html_to_page(doc, source="p")
    assert_offsets_exact(page)
    assert html_to_page(doc, source="p") == page  # deterministic


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_property_bytes_raise_only_ingest_error(data):
    try:
        page = html_to_page(data, source="b")
    except IngestError:
        return
    assert_offsets_exact(page)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_property_text_to_page_offsets(text):
    assert_offsets_exact(text_to_page(text, source="t"))


def test_text_bullets_and_colon_lists_are_list_items_not_headings() -> None:
    from factcheck.ingest.text import text_to_page

    page = text_to_page("Title\nWho is eligible:\nRRMS\nSPMS\nA paragraph closes the list, being a line of "
                        "many more words than any list item "
                        "text.\nNext heading\n- one\n- two\nLast Heading", source="t")
    kinds = [(b.kind, page.text[b.start:b.end][:12]) for b in page.blocks]
    assert kinds == [("title", "Title"), ("paragraph", "Who is eligi"), ("list_item", "RRMS"),
                     ("list_item", "SPMS"), ("paragraph", "A paragraph "), ("heading", "Next heading"),
                     ("list_item", "- one"), ("list_item", "- two"), ("heading", "Last Heading")]


def test_main_and_h1_ancestors_from_one_walk_are_those_of_the_two_selectors():
    """``_main_and_h1_ancestors`` = ``_ancestors`` of the main-content selector and of ``h1``, each run alone."""
    import random

    from selectolax.lexbor import LexborHTMLParser

    from factcheck.ingest.html import _MAIN_CSS, _ancestors, _main_and_h1_ancestors

    rng = random.Random(23)
    opens = ["<div>", "<main>", "<article>", "<div role=main>", "<section itemprop=articleBody>", "<h1>",
             "<h1 role=main>", "<h1 itemprop=articleBody>", "<h1 role=banner>", "<div class=sidebar>", "<form>",
             "<p>", "<ul><li>"]
    closes = {"<ul><li>": "</li></ul>"}
    for _ in range(1500):
        stack: list[str] = []
        parts = []
        for _ in range(rng.randrange(1, 12)):
            if stack and rng.random() < 0.4:
                tag = stack.pop()
                parts.append(closes.get(tag, "</" + tag[1:].split(">")[0].split()[0] + ">"))
            else:
                tag = rng.choice(opens)
                stack.append(tag)
                parts.append(tag + rng.choice(["", "text ", "stem cells "]))
        body = LexborHTMLParser("<html><body>" + "".join(parts) + "</body></html>").body
        assert body is not None
        expected = (_ancestors(body.css(_MAIN_CSS)), _ancestors(body.css("h1")))
        assert _main_and_h1_ancestors(body) == expected, "".join(parts)


def test_tag_count_and_head_parts_from_one_walk_are_those_of_the_separate_steps():
    """``_count_tags`` is ``count("<")`` wherever it can matter (over ``DEPTH_SCAN_TAGS``), for bytes and
    str; the head's title and metas from one selector list are the first ``<title>`` and the metas in
    order, as ``css_first("title")`` and ``css(_META_CSS)`` give them."""
    import random

    from selectolax.lexbor import LexborHTMLParser

    from factcheck.ingest.html import _META_CSS, DEPTH_SCAN_TAGS, _clean, _count_tags, _prepare

    rng = random.Random(11)
    for size in (0, 10, DEPTH_SCAN_TAGS, DEPTH_SCAN_TAGS + 1, 3 * DEPTH_SCAN_TAGS, 70_000):
        doc = "".join(rng.choice("<<<>ab é\n") for _ in range(size))
        for form in (doc, doc.encode()):
            counted = form.count("<") if isinstance(form, str) else form.count(b"<")
            assert (_count_tags(form) > DEPTH_SCAN_TAGS) == (counted > DEPTH_SCAN_TAGS)
            if len(form) > DEPTH_SCAN_TAGS:
                assert _count_tags(form) == counted
    pieces = ["<title>First</title>", "<title>Second</title>", "<meta name=description content='d1'>",
              "<meta property='og:description' content='d2'>", "<meta name=DESCRIPTION content='d1'>",
              "<meta name='twitter:description' content=' d3  x '>", "<meta name=keywords content=k>",
              "<link rel=icon>", "<svg><title>in svg</title></svg>", "<meta name=description content=''>"]
    for _ in range(300):
        head = "".join(rng.sample(pieces, rng.randrange(0, len(pieces))))
        doc = f"<html><head>{head}</head><body><p>Body.</p></body></html>"
        tree = LexborHTMLParser(doc, scripting=True)
        expected: list[tuple[str, str]] = []
        assert tree.head is not None
        title = tree.head.css_first("title")
        if title is not None and (text := _clean(title.text())):
            expected.append(("title", text))
        for meta in tree.head.css(_META_CSS):
            content = meta.attributes.get("content")
            if content and (text := _clean(content)) and ("meta", text) not in expected:
                expected.append(("meta", text))
        parts, _tree, _body = _prepare(doc, [])
        assert parts == expected, head
