// crosscount's page. Every piece of a report is put in the page as text (textContent,
// createTextNode), never as markup: ingested pages are hostile input.
"use strict";

const CATEGORIES = ["killed", "injured", "displaced", "evacuated", "returned", "detained",
  "missing", "besieged", "rescued", "affected", "other"];
const $ = (selector) => document.querySelector(selector);

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function bound(figure) {
  if (figure.vague) return "vague (" + figure.text + ")";
  const n = (v) => Number(v).toLocaleString("en");
  if (figure.low != null && figure.high != null) return figure.low === figure.high ? n(figure.low) : n(figure.low) + "–" + n(figure.high);
  if (figure.low != null) return "at least " + n(figure.low);
  if (figure.high != null) return "up to " + n(figure.high);
  return "?";
}

// ---------------------------------------------------------------- tooltip
const tooltip = () => $("#tooltip");

function showTooltip(target, rows) {
  const box = tooltip();
  box.replaceChildren();
  const list = element("dl");
  for (const [name, value] of rows) {
    list.append(element("dt", { text: name }), element("dd", { text: value == null || value === "" ? "—" : String(value) }));
  }
  box.append(list);
  const rect = target.getBoundingClientRect();
  box.style.left = window.scrollX + rect.left + "px";
  box.style.top = window.scrollY + rect.bottom + 6 + "px";
  box.hidden = false;
}

function figureRows(figure) {
  return [
    ["value", bound(figure)], ["low", figure.low], ["high", figure.high], ["category", figure.category],
    ["who", figure.who], ["source", figure.source ? figure.source.name : "unattributed"],
    ["certainty", figure.certainty], ["place", figure.place ? figure.place.name : null],
    ["section", figure.section + (figure.comment != null ? " " + (figure.comment + 1) : "")],
  ];
}

// ---------------------------------------------------------------- highlighting
// Spans of the text as nodes: figures as <mark>, signals (where no figure is) as <span>.
function highlighted(text, start, end, figures, signals, headline) {
  const pieces = [];
  const marks = [];
  for (const [index, figure] of figures.entries()) {
    if (figure.start >= start && figure.end <= end) marks.push({ start: figure.start, end: figure.end, figure, index });
  }
  for (const signal of signals) {
    if (signal.start >= start && signal.end <= end && !marks.some((m) => m.start < signal.end && signal.start < m.end)) {
      marks.push({ start: signal.start, end: signal.end, signal });
    }
  }
  marks.sort((a, b) => a.start - b.start);
  let cursor = start;
  for (const mark of marks) {
    if (mark.start < cursor) continue;
    if (mark.start > cursor) pieces.push(plain(text.slice(cursor, mark.start), cursor, headline));
    const words = text.slice(mark.start, mark.end);
    if (mark.figure) {
      const f = mark.figure;
      const node = element("mark", {
        class: `figure cat-${f.category} certainty-${f.certainty}`, "data-figure": String(mark.index),
        tabindex: "0", text: words,
      });
      node.addEventListener("mouseenter", () => showTooltip(node, figureRows(f)));
      node.addEventListener("click", () => showTooltip(node, figureRows(f)));
      node.addEventListener("mouseleave", () => { tooltip().hidden = true; });
      pieces.push(node);
    } else {
      const s = mark.signal;
      const node = element("span", { class: "signal", "data-signal": s.type, text: words });
      node.addEventListener("mouseenter", () => showTooltip(node, [["signal", s.type], ["technique", s.technique], ["words", s.trigger]]));
      node.addEventListener("mouseleave", () => { tooltip().hidden = true; });
      pieces.push(node);
    }
    cursor = mark.end;
  }
  if (cursor < end) pieces.push(plain(text.slice(cursor, end), cursor, headline));
  return pieces;
}

function plain(words, at, headline) {
  if (headline && at >= headline.start && at + words.length <= headline.end) {
    return element("span", { class: "headline", text: words });
  }
  return document.createTextNode(words);
}

function showAnalysis(result) {
  const text = result.text;
  const comments = result.comments || [];
  const bodyEnd = comments.length ? comments[0].start : text.length;
  $("#article").replaceChildren(...highlighted(text, 0, bodyEnd, result.figures, result.signals || [], result.headline));
  const thread = $("#thread");
  thread.replaceChildren();
  if (comments.length) {
    thread.append(element("h2", { text: `Comments (${comments.length})` }));
    comments.forEach((comment, index) => {
      const box = element("article", { class: "comment", "data-comment": String(index) },
        element("div", { class: "author", text: comment.author || "anonymous" }));
      box.append(...highlighted(text, comment.start, comment.end, result.figures, result.signals || [], null));
      thread.append(box);
    });
  }
  $("#checks").replaceChildren(...(result.checks || []).map((check) =>
    element("li", { class: "verdict-" + check.verdict, text: `${check.verdict}: ${check.explanation}` })));
  $("#stances").replaceChildren(...(result.stances || []).map((stance) =>
    element("li", { class: "stance-" + stance.stance,
      text: `${stance.comment == null ? "article" : "comment " + (stance.comment + 1)} ${stance.stance} ${stance.target} ("${stance.cue}")` })));
  $("#status").textContent = `${result.figures.length} figures, ${comments.length} comments`;
}

async function analyse() {
  const file = $("#file").files[0];
  let body = { text: $("#report").value };
  if (file) {
    const content = await file.text();
    body = /\.html?$/i.test(file.name) || /^\s*</.test(content) ? { html: content } : { text: content };
  } else if (/^\s*<(!doctype|html|body|div|p)\b/i.test(body.text)) {
    body = { html: body.text };
  }
  $("#status").textContent = "analysing…";
  const response = await fetch("/analyze", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const result = await response.json();
  if (!response.ok) { $("#status").textContent = result.error; return; }
  showAnalysis(result);
}

// ---------------------------------------------------------------- events and map
async function getJSON(url) {
  const response = await fetch(url);
  const result = await response.json();
  if (!response.ok) throw new Error(result.error || response.statusText);
  return result;
}

// Lists page through the API: PAGE items at a time, with the total the API reports.
const PAGE = 50;

function pager(target, page, show) {
  const last = Math.min(page.offset + page.items.length, page.total);
  const previous = element("button", { text: "← previous", class: "previous" });
  const next = element("button", { text: "next →", class: "next" });
  previous.disabled = page.offset === 0;
  next.disabled = last >= page.total;
  previous.addEventListener("click", () => show(Math.max(0, page.offset - PAGE)));
  next.addEventListener("click", () => show(page.offset + PAGE));
  $(target).replaceChildren(previous,
    element("span", { class: "range", text: page.total ? `${page.offset + 1}–${last} of ${page.total}` : "none" }), next);
}

async function showEvents(offset = 0) {
  let events;
  try {
    const page = await getJSON(`/events?limit=${PAGE}&offset=${offset}`);
    events = page.items;
    pager("#event-pager", page, showEvents);
  } catch (error) {
    $("#event-list").replaceChildren(element("li", { text: error.message }));
    return;
  }
  $("#event-list").replaceChildren(...events.map((event) => {
    const item = element("li", { "data-event": String(event.event_id),
      text: `${event.category} in ${event.place || "?"}, ${event.first_date || "?"}: ${event.n_sources} sources, ` +
            `${Number(event.minimum).toLocaleString("en")}–${Number(event.maximum).toLocaleString("en")}` +
            (event.n_contradictions ? `, ${event.n_contradictions} contradictions` : "") });
    item.addEventListener("click", () => showEvent(event.event_id, item));
    return item;
  }));
  const placed = events.filter((e) => e.lat != null && e.lon != null);
  vegaEmbed("#map", {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json", width: 900, height: 420,
    projection: { type: "equirectangular", center: [38, 33], scale: 900 },
    layer: [
      { data: { url: "/static/vendor/countries-110m.json", format: { type: "topojson", feature: "countries" } },
        mark: { type: "geoshape", fill: "#eef1f4", stroke: "#9aa4ae", strokeWidth: 0.5 } },
      { data: { values: placed }, mark: { type: "circle", opacity: 0.7, stroke: "white" },
        encoding: { longitude: { field: "lon", type: "quantitative" }, latitude: { field: "lat", type: "quantitative" },
          size: { field: "n_sources", type: "quantitative", title: "sources" },
          color: { field: "category", type: "nominal" },
          tooltip: [{ field: "place" }, { field: "category" }, { field: "first_date", title: "date" },
            { field: "n_sources", title: "sources" }, { field: "median" }] } },
    ],
  }, { actions: false, renderer: "svg" });
}

async function showEvent(id, item) {
  document.querySelectorAll("#event-list li").forEach((li) => li.classList.remove("active"));
  item.classList.add("active");
  const event = await getJSON(`/events/${id}`);
  const detail = $("#event-detail");
  detail.replaceChildren(element("h2", { text: `${event.category} in ${event.place || "?"}, ${event.first_date || "?"}` }),
    element("p", { text: `careful range ${event.careful_low}–${event.careful_high}; median ${event.median}; ` +
      `${event.n_reports} independent reports` }), element("div", { id: "event-chart" }));
  const contested = new Set();
  for (const c of event.contradictions) { contested.add(c.first_source); contested.add(c.second_source); }
  const rows = event.figures.map((f) => {
    const source = f.source_name || `${f.outlet || "?"} (own voice)`;
    const low = f.low != null ? f.low : f.high;
    const high = f.high != null ? f.high : low;
    return { source, outlet: f.outlet || "?", low, high, value: low, open: f.high == null && !f.vague,
      text: f.text, published: f.published, contested: contested.has(source) ? "contradicted" : "consistent" };
  }).filter((r) => r.low != null);
  vegaEmbed("#event-chart", {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json", width: 520,
    data: { values: rows },
    layer: [
      { mark: { type: "rect", opacity: 0.12, color: "#1a7f37" },
        data: { values: [{ a: event.careful_low, b: event.careful_high }] },
        encoding: { x: { field: "a", type: "quantitative" }, x2: { field: "b" } } },
      { mark: { type: "rule", strokeWidth: 3 }, encoding: { y: { field: "source", type: "nominal", sort: "-x" },
        x: { field: "low", type: "quantitative", title: "figure" }, x2: { field: "high" }, color: { field: "outlet", type: "nominal" } } },
      { mark: { type: "point", filled: true, size: 80 }, encoding: { y: { field: "source", type: "nominal", sort: "-x" },
        x: { field: "value", type: "quantitative" }, color: { field: "outlet", type: "nominal" },
        shape: { field: "contested", type: "nominal", title: "", scale: { domain: ["consistent", "contradicted"], range: ["circle", "cross"] } },
        tooltip: [{ field: "source" }, { field: "outlet" }, { field: "text", title: "as written" }, { field: "published" }] } },
    ],
  }, { actions: false, renderer: "svg" });
  for (const c of event.contradictions.slice(0, 12)) detail.append(element("p", { class: "contradiction", text: c.explanation }));
}

async function showSources(offset = 0) {
  let sources;
  try {
    const page = await getJSON(`/sources?limit=${PAGE}&offset=${offset}`);
    sources = page.items;
    pager("#source-pager", page, showSources);
  } catch (error) {
    $("#source-table tbody").replaceChildren(element("tr", {}, element("td", { text: error.message })));
    return;
  }
  $("#source-table tbody").replaceChildren(...sources.map((s) => element("tr", {},
    element("td", { text: s.name }), element("td", { text: s.kind || "" }), element("td", { text: s.country || "" }),
    element("td", { text: String(s.n_figures) }), element("td", { text: String(s.in_events) }),
    element("td", { text: s.share_in_range == null ? "—" : Math.round(100 * s.share_in_range) + "%" }))));
}

// ---------------------------------------------------------------- wiring
function switchTo(view) {
  document.querySelectorAll(".tab").forEach((tab) => tab.classList.toggle("active", tab.dataset.view === view));
  document.querySelectorAll(".view").forEach((section) => { section.hidden = section.id !== "view-" + view; });
  if (view === "events") showEvents();
  if (view === "sources") showSources();
}

document.addEventListener("DOMContentLoaded", () => {
  $("#legend").replaceChildren(...CATEGORIES.map((c) => element("span", { class: "cat-" + c, text: c })));
  document.querySelectorAll(".tab").forEach((tab) => tab.addEventListener("click", () => switchTo(tab.dataset.view)));
  $("#run").addEventListener("click", analyse);
  const area = $("#report");
  area.addEventListener("dragover", (e) => { e.preventDefault(); area.classList.add("drop"); });
  area.addEventListener("dragleave", () => area.classList.remove("drop"));
  area.addEventListener("drop", async (e) => {
    e.preventDefault();
    area.classList.remove("drop");
    const file = e.dataTransfer.files[0];
    if (file) area.value = await file.text();
  });
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") tooltip().hidden = true; });
});
