// jdclass serve: the page's script. Served as its own file (the Content-Security-Policy
// forbids inline script). Posting text only ever reaches the page through
// textContent, text nodes and attribute values: never parsed as markup.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const TOKEN_KEY = "jdclass-token";
  const ROLE_NAMES = { pm: "Product Manager", po: "Product Owner", hybrid: "hybrid Product Manager / Product Owner", other: "another role" };
  const ROLE_WITH_ARTICLE = { pm: "a Product Manager", po: "a Product Owner", hybrid: "a hybrid Product Manager / Product Owner", other: "another role, not product management" };
  const SIDE_WORDS = {
    pm: "points to Product Manager work: strategic, roadmap-facing",
    po: "points to Product Owner work: tactical, backlog-facing",
    other: "points to another role's work: project, scrum-master, analyst or marketing duties",
  };
  const SECTION_WORDS = {
    duties: "in the duties",
    intro: "before any heading",
    requirements: "in the requirements",
    preferred: "a nice-to-have",
    company: "a sentence about the company",
    boilerplate: "in the company blurb or benefits",
    title: "in the title",
  };

  // ---- small DOM helpers: text always goes in as text -------------------------
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    if (props) {
      for (const [k, v] of Object.entries(props)) {
        if (v === undefined || v === null) continue;
        if (k === "class") node.className = v;
        else if (k === "text") node.textContent = v;
        else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
        else node.setAttribute(k, String(v));
      }
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }
  function svg(tag, attrs, text) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  function show(node, on) { node.hidden = !on; }
  const fmt = (x) => (x >= 0 ? "+" : "−") + Math.abs(x).toFixed(2);

  // ---- UTF-8 byte offsets (the API's) to string indices (the page's) ----------
  function byteToIndex(text) {
    const map = new Uint32Array(new TextEncoder().encode(text).length + 1);
    let b = 0;
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i);
      const units = cp > 0xffff ? 2 : 1;
      const bytes = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      for (let k = 0; k < bytes; k++) map[b + k] = i;
      b += bytes;
      i += units;
    }
    map[b] = text.length;
    return (offset) => map[Math.min(Math.max(offset, 0), b)];
  }

  // ---- API ----------------------------------------------------------------------
  class ApiError extends Error {
    constructor(status, kind, message) { super(message); this.status = status; this.kind = kind; }
  }
  let retry = null;
  async function api(path, options) {
    const opts = Object.assign({ headers: {} }, options);
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) opts.headers.Authorization = "Bearer " + token;
    let response;
    try {
      response = await fetch(path, opts);
    } catch (e) {
      throw new ApiError(0, "network", "The server could not be reached. Is `jdclass serve` still running?");
    }
    if (response.ok) return response;
    let kind = "http", message = "The server answered " + response.status + ".";
    try {
      const body = await response.json();
      if (body && body.error) { kind = body.error.kind; message = body.error.message; }
    } catch (e) { /* not JSON */ }
    if (response.status === 401) {
      show($("token-box"), true);
      $("token-input").focus();
      message = "This server needs an access token: enter it above.";
    }
    throw new ApiError(response.status, kind, message);
  }
  async function postJson(path, body) {
    const r = await api(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    return r.json();
  }

  function setStatus(node, text, isError) {
    node.textContent = text;
    node.classList.toggle("error", !!isError);
  }

  // ---- check one posting --------------------------------------------------------
  const state = { composed: "", prefix: "", record: null, report: null, previous: null, note: "" };

  function composed() {
    const title = $("title").value.trim().replace(/\s+/g, " ");
    const body = $("posting-text").value;
    const prefix = title && !body.trimStart().startsWith(title) ? title + "\n" : "";
    return { text: prefix + body, prefix };
  }

  async function runCheck() {
    const { text, prefix } = composed();
    if (!text.trim()) {
      setStatus($("status"), "Paste a posting first.", true);
      $("posting-text").focus();
      return;
    }
    const button = $("check-button");
    button.disabled = true;
    setStatus($("status"), "Checking…");
    retry = runCheck;
    try {
      const role = $("role").value;
      let record, report = null, note = "";
      try {
        report = await postJson("/v1/check", role ? { text, as: role } : { text });
        record = report.record;
      } catch (e) {
        if (e.kind !== "unknown_role") throw e;
        record = await postJson("/v1/classify", { text });
        note = "Say which role the posting is meant to hire (or give a title that names it) to see what is missing and what to change.";
      }
      const before = state.record && state.record.label;
      // The previous place is shown only after an edit, not for a new posting.
      state.previous = state.note && state.record ? state.record.scores : null;
      state.composed = text;
      state.prefix = prefix;
      state.record = record;
      state.report = report;
      render(before, note);
      setStatus($("status"), "");
    } catch (e) {
      setStatus($("status"), e.message, true);
    } finally {
      button.disabled = false;
    }
  }

  function render(before, note) {
    const { record, report } = state;
    show($("results"), true);
    // Verdict.
    $("headline").textContent = "Reads as " + ROLE_WITH_ARTICLE[record.label];
    $("headline").dataset.label = record.label;
    const changeNote = $("change-note");
    if (state.note) {
      changeNote.textContent = state.note + (before && before !== record.label ? " The verdict changed: " + ROLE_NAMES[before] + " → " + ROLE_NAMES[record.label] + "." : " The verdict is still " + ROLE_NAMES[record.label] + ".");
      show(changeNote, true);
      state.note = "";
    } else show(changeNote, false);
    const line = $("check-line");
    if (report) {
      line.textContent = report.consistent
        ? "✓ Consistent: it reads as the " + ROLE_NAMES[report.intended] + " it is meant to hire."
        : "✗ Meant to hire " + ROLE_WITH_ARTICLE[report.intended] + ", but the text reads as " + ROLE_WITH_ARTICLE[report.label] + ".";
      line.className = "check-line " + (report.consistent ? "ok" : "bad");
    } else {
      line.textContent = note;
      line.className = "check-line";
    }
    const c = record.confidence;
    $("confidence-label").textContent = "How sure: " + (c >= 0.75 ? "high" : c >= 0.5 ? "fair" : "low") + " (" + c.toFixed(2) + ")";
    $("confidence-meter").value = c;
    const reason = clear($("reason"));
    reason.append(plainReason(record), " ", el("span", { class: "numbers", text: "(" + record.reason + ")" }));
    const warnings = clear($("warnings"));
    for (const w of record.warnings || []) warnings.append(el("li", { text: w }));

    renderPosting();
    renderPlot();
    renderEdits();
    renderList("missing", report && report.missing, (m) => el("li", { text: m.signal }));
    if (report) $("missing-title").textContent = "Missing for " + ROLE_WITH_ARTICLE[report.intended];
    renderList("findings", report && report.findings, (f) =>
      el("li", null,
        el("span", { class: "quote", text: "“" + f.phrase + "”" }),
        " (line " + f.line + ") pulls toward " + ROLE_NAMES[f.toward] + ". ",
        f.why,
        el("span", { class: "numbers", text: " " + f.axis + ", influence " + f.influence.toFixed(2) })));
    renderDuties();
  }

  function plainReason(record) {
    const m = record.mass || {};
    const product = (m.pm || 0) + (m.po || 0);
    if (product <= 0) return "It names few product-role duties.";
    const pm = Math.round((100 * m.pm) / product);
    let s = pm + "% of its product-role evidence is strategic and roadmap-facing, " + (100 - pm) + "% tactical and backlog-facing.";
    if ((m.other || 0) > 0.6 * product) s += " Much of it describes other roles' work (project, scrum, analysis).";
    else if ((m.other || 0) > 0) s += " Some of it describes other roles' work.";
    return s;
  }

  function renderList(id, items, make) {
    const list = clear($(id));
    const has = !!(items && items.length);
    show($(id + "-card"), has);
    if (has) for (const item of items) list.append(make(item));
  }

  // The posting with every phrase found highlighted, in input order.
  function renderPosting() {
    const text = state.composed;
    const at = byteToIndex(text);
    const whyOf = {};
    for (const f of (state.report && state.report.findings) || []) whyOf[f.term] = f.why;
    const items = [];
    for (const e of state.record.evidence || []) items.push({ e, counted: true });
    for (const e of state.record.discounted || []) items.push({ e, counted: false });
    for (const it of items) { it.start = at(it.e.offset); it.end = at(it.e.offset + it.e.len); }
    items.sort((a, b) => a.start - b.start || b.end - a.end);
    const view = clear($("posting-view"));
    let pos = 0, n = 0;
    for (const it of items) {
      if (it.start < pos || it.end <= it.start) continue; // overlaps the previous one
      view.append(document.createTextNode(text.slice(pos, it.start)));
      const side = it.counted ? leaning(it.e) : "off";
      const words = explain(it.e, it.counted, whyOf[it.e.term]);
      const mark = el("mark", { class: "ev " + side, tabindex: 0, title: words.short, "data-term": it.e.term, "aria-label": text.slice(it.start, it.end) + ": " + words.short },
        text.slice(it.start, it.end));
      const open = () => showExplanation(mark, text.slice(it.start, it.end), words);
      mark.addEventListener("click", open);
      mark.addEventListener("focus", open);
      mark.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); open(); } });
      view.append(mark);
      pos = it.end;
      n++;
    }
    view.append(document.createTextNode(text.slice(pos)));
    view.dataset.marks = String(n);
    show($("explain"), false);
  }

  function leaning(e) {
    if (e.side === "mixed") return e.strategic + e.roadmap >= 0 ? "pm" : "po";
    return e.side === "pm" || e.side === "po" || e.side === "other" ? e.side : "off";
  }

  function explain(e, counted, why) {
    let what;
    const section = SECTION_WORDS[e.section] || e.section;
    const weight = Math.round(e.multiplier * 100) + "% weight";
    if (!counted) {
      const because = e.because ? " (“" + e.because + "”)" : "";
      what = {
        negated: "Not counted: the sentence says the role does not do this" + because + ".",
        attributed: "Not counted: it is someone else's duty" + because + ".",
        title: "Not counted as duty evidence: it stands in the title.",
        name: "Not counted: it is part of a name (a company, product or team)" + because + ".",
        future: "Not counted: it describes the role the hire may grow into, not this one.",
      }[e.effect] || "Not counted.";
    } else if (e.effect === "contribution") {
      what = "Counts toward Product Owner work, at half weight: the role works from it rather than owning it (" + section + ", " + weight + ").";
    } else if (e.effect === "facilitated") {
      what = "Counts as another role's work: running ceremonies for others is a scrum master's or coach's job (" + section + ", " + weight + ").";
    } else {
      let side = SIDE_WORDS[leaning(e)] || "";
      if (e.side === "mixed") side = "Mixed: strategic on one axis, tactical on the other; on balance it " + side;
      else side = "It " + side;
      what = side + ". Counts " + section + " (" + weight + ").";
    }
    const numbers = "strategic " + fmt(e.strategic) + " · roadmap " + fmt(e.roadmap) + " · other " + e.other.toFixed(2) + " · ×" + e.multiplier.toFixed(2) + " (" + e.section + ") · line " + e.line + ", column " + e.column + " · entry " + e.term;
    return { short: what, why: why || "", numbers };
  }

  function showExplanation(mark, phrase, words) {
    for (const m of document.querySelectorAll("mark.ev.active")) m.classList.remove("active");
    mark.classList.add("active");
    const box = clear($("explain"));
    box.append(el("strong", { text: "“" + phrase + "”" }), " ", words.short);
    if (words.why) box.append(el("br"), el("span", { class: "hint", text: "Why: " + words.why }));
    box.append(el("div", { class: "numbers", text: words.numbers }));
    show(box, true);
  }

  // Strategic × roadmap: four labelled regions, this posting's place, where it was.
  function renderPlot() {
    const S = 320, M = 34, W = S - 2 * M;
    const x = (s) => M + ((Math.max(-1, Math.min(1, s)) + 1) / 2) * W;
    const y = (r) => S - M - ((Math.max(-1, Math.min(1, r)) + 1) / 2) * W;
    const root = svg("svg", { viewBox: "0 0 " + S + " " + S, role: "img", "aria-labelledby": "plot-title plot-caption" });
    // Labels sit in each region's outer corner, clear of the centre where postings cluster.
    const regions = [
      { x: M + W / 2, y: M, fill: "#dce8fb", label: ["Product Manager", "strategic · roadmap"], tx: S - M - 6, ty: M + 16, anchor: "end", color: "#1f5fbf" },
      { x: M, y: M + W / 2, fill: "#fbe3d3", label: ["Product Owner", "tactical · backlog"], tx: M + 6, ty: S - M - 20, anchor: "start", color: "#b3541e" },
      { x: M, y: M, fill: "#eef3ee", label: ["Mixed", "tactical, roadmap-facing"], tx: M + 6, ty: M + 16, anchor: "start", color: "#237a57" },
      { x: M + W / 2, y: M + W / 2, fill: "#f3eef7", label: ["Mixed", "strategic, backlog-facing"], tx: S - M - 6, ty: S - M - 20, anchor: "end", color: "#6b4fa3" },
    ];
    for (const r of regions) {
      root.append(svg("rect", { x: r.x, y: r.y, width: W / 2, height: W / 2, fill: r.fill }));
      root.append(svg("text", { x: r.tx, y: r.ty, "text-anchor": r.anchor, "font-size": 12, "font-weight": 700, fill: r.color }, r.label[0]));
      root.append(svg("text", { x: r.tx, y: r.ty + 13, "text-anchor": r.anchor, "font-size": 9.5, fill: r.color }, r.label[1]));
    }
    root.append(svg("circle", { cx: x(0), cy: y(0), r: W * 0.14, fill: "none", stroke: "#237a57", "stroke-dasharray": "4 3" }));
    root.append(svg("text", { x: x(0), y: y(0) + W * 0.14 + 12, "text-anchor": "middle", "font-size": 10, fill: "#237a57" }, "balanced: hybrid if it owns both"));
    root.append(svg("rect", { x: M, y: M, width: W, height: W, fill: "none", stroke: "#b9c0cc" }));
    root.append(svg("text", { x: M, y: S - 10, "font-size": 11, fill: "#5b6474" }, "← tactical"));
    root.append(svg("text", { x: S - M, y: S - 10, "font-size": 11, fill: "#5b6474", "text-anchor": "end" }, "strategic →"));
    root.append(svg("text", { x: 12, y: S / 2, "font-size": 11, fill: "#5b6474", "text-anchor": "middle", transform: "rotate(-90 12 " + S / 2 + ")" }, "backlog ↔ roadmap"));
    const s = state.record.scores;
    if (state.previous && (state.previous.strategic !== s.strategic || state.previous.roadmap !== s.roadmap)) {
      const p = state.previous;
      root.append(svg("line", { x1: x(p.strategic), y1: y(p.roadmap), x2: x(s.strategic), y2: y(s.roadmap), stroke: "#1d2330", "stroke-dasharray": "3 3" }));
      root.append(svg("circle", { cx: x(p.strategic), cy: y(p.roadmap), r: 6, fill: "none", stroke: "#1d2330" }));
    }
    root.append(svg("circle", { cx: x(s.strategic), cy: y(s.roadmap), r: 8, fill: "#1d2330", stroke: "#fff", "stroke-width": 2 }));
    // The point's label goes below it in the upper half, above it in the lower half.
    const lx = Math.max(M + 36, Math.min(S - M - 36, x(s.strategic)));
    const ly = y(s.roadmap) < S / 2 ? y(s.roadmap) + 24 : y(s.roadmap) - 14;
    root.append(svg("text", { x: lx, y: ly, "font-size": 12, "font-weight": 700, "text-anchor": "middle", fill: "#1d2330", stroke: "#fff", "stroke-width": 3, "paint-order": "stroke" }, "this posting"));
    clear($("plot")).append(root);
    $("plot-caption").textContent = "This posting sits at strategic " + fmt(s.strategic) + ", roadmap " + fmt(s.roadmap) + " (each from −1 to +1)" + (state.previous ? "; the ring is where it was before the last edit." : ".");
  }

  // Suggested edits, each applicable with one click (then checked again).
  function renderEdits() {
    const report = state.report;
    const changes = (report && report.changes) || [];
    show($("edits-card"), changes.length > 0);
    const list = clear($("edits"));
    if (!changes.length) return;
    $("edits-intro").textContent = report.flips
      ? "Found by trying edits and re-checking: with all of them the posting reads as " + ROLE_WITH_ARTICLE[report.after] + "."
      : "The closest found: with all of them it would still read as " + ROLE_WITH_ARTICLE[report.after || report.label] + ".";
    changes.forEach((c, i) => {
      let what;
      if (c.action === "remove") {
        const at = c.occurrences.map((o) => "line " + o[2]).join(", ");
        what = el("span", null, "Remove or reword ", el("span", { class: "quote", text: "“" + c.phrase + "”" }), " (" + at + "): it points to " + ROLE_NAMES[c.toward] + ".");
      } else {
        what = el("span", null, "Add a responsibility (" + c.signal + "): ", el("span", { class: "quote", text: "“" + c.sentence + "”" }));
      }
      const button = el("button", { type: "button", class: "apply", "data-index": i, text: "Apply" });
      button.addEventListener("click", () => applyChanges([c], c.action === "remove" ? "Removed “" + c.phrase + "”." : "Added: “" + c.sentence + "”."));
      list.append(el("li", null, what, el("br"), button));
    });
  }

  function looksLikeHtml(text) { return /<(p|div|br|ul|ol|li|h[1-6]|span|strong|b|em|table|section|article|body|html)\b[^>]*>/i.test(text); }
  function escapeHtml(s) { return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"); }

  // The same edits as the library's check::apply: cut occurrences, add sentences in a
  // "Responsibilities" block at the end (kept as one block over several clicks).
  function applyTo(text, changes) {
    const at = byteToIndex(text);
    const cuts = [];
    for (const c of changes) if (c.action === "remove") for (const o of c.occurrences) cuts.push([at(o[0]), at(o[0] + o[1])]);
    cuts.sort((a, b) => a[0] - b[0]);
    let out = "", pos = 0;
    for (const [s, e] of cuts) { if (s < pos || e > text.length) continue; out += text.slice(pos, s); pos = e; }
    out += text.slice(pos);
    const added = changes.filter((c) => c.action === "add").map((c) => c.sentence);
    if (!added.length) return out;
    if (looksLikeHtml(text)) {
      const items = added.map((s) => "<li>" + escapeHtml(s) + "</li>\n").join("");
      const block = /\n<h3>Responsibilities<\/h3>\n<ul>\n(?:<li>.*<\/li>\n)*<\/ul>\n$/;
      return block.test(out) ? out.replace(/<\/ul>\n$/, items + "</ul>\n") : out + "\n<h3>Responsibilities</h3>\n<ul>\n" + items + "</ul>\n";
    }
    const items = added.map((s) => "- " + s + "\n").join("");
    return /\n\nResponsibilities:\n(?:- .*\n)*$/.test(out) ? out + items : out + "\n\nResponsibilities:\n" + items;
  }

  function applyChanges(changes, note) {
    const edited = applyTo(state.composed, changes);
    if (state.prefix && edited.startsWith(state.prefix)) {
      $("posting-text").value = edited.slice(state.prefix.length);
    } else {
      $("title").value = "";
      $("posting-text").value = edited;
    }
    state.note = note;
    runCheck();
  }

  function renderDuties() {
    const duties = state.record.duties;
    const has = Array.isArray(duties) && duties.length > 0;
    show($("duties-card"), has);
    const list = clear($("duties"));
    const summary = $("duty-summary");
    summary.textContent = "";
    if (!has) return;
    const kinds = { pm: "PM duty", po: "PO duty", other: "other role", neutral: "neutral" };
    for (const d of duties) {
      const kind = kinds[d.kind] ? d.kind : "neutral";
      const label = kind === "other" && d.profile ? "other role: " + d.profile : kinds[kind];
      const li = el("li", null, el("span", { class: "badge " + kind, text: label }), el("span", { text: d.text }));
      if (Array.isArray(d.phrases) && d.phrases.length) li.append(el("div", { class: "hint", text: "because of: " + d.phrases.map((p) => (typeof p === "string" ? p : p.phrase || p.term || "")).join(", ") }));
      li.append(el("span", { class: "numbers", text: " line " + d.line }));
      list.append(li);
    }
    const s = state.record.duty_summary;
    if (s && typeof s === "object") {
      summary.textContent = Object.entries(s).filter(([, v]) => typeof v !== "object").map(([k, v]) => k.replace(/_/g, " ") + ": " + v).join(" · ");
    } else if (typeof s === "string") summary.textContent = s;
  }

  async function copyText() {
    const text = $("posting-text").value;
    try {
      await navigator.clipboard.writeText(text);
    } catch (e) {
      const area = $("posting-text");
      area.focus();
      area.select();
      document.execCommand("copy");
    }
    setStatus($("status"), "Copied the edited posting.");
  }

  async function loadFile(file) {
    if (!file) return;
    if (file.size > 10 * 1024 * 1024) { setStatus($("status"), file.name + " is over 10 MB: not a single posting.", true); return; }
    $("posting-text").value = await file.text();
    setStatus($("status"), "Loaded " + file.name + ".");
    runCheck();
  }

  // ---- batch --------------------------------------------------------------------
  function parseCsv(text) {
    const rows = []; let row = [], field = "", quoted = false;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (quoted) {
        if (ch === '"') { if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false; }
        else field += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ",") { row.push(field); field = ""; }
      else if (ch === "\n") { row.push(field); rows.push(row); row = []; field = ""; }
      else if (ch !== "\r") field += ch;
    }
    if (field || row.length) { row.push(field); rows.push(row); }
    return rows;
  }

  function countLabels(text, csv) {
    const counts = {};
    const add = (k) => { counts[k] = (counts[k] || 0) + 1; };
    if (csv) {
      const rows = parseCsv(text);
      const header = rows.shift() || [];
      const li = header.indexOf("label"), ei = header.indexOf("error");
      for (const r of rows) add((ei >= 0 && r[ei]) ? "error" : (r[li] || "error"));
    } else {
      for (const line of text.split("\n")) {
        if (!line.trim()) continue;
        try { const o = JSON.parse(line); add(o.error ? "error" : o.label || "error"); } catch (e) { add("error"); }
      }
    }
    return counts;
  }

  let downloadUrl = null;
  async function runBatch() {
    const file = $("batch-file").files[0];
    const status = $("batch-status");
    if (!file) { setStatus(status, "Choose a file first.", true); return; }
    const csvIn = /\.csv$/i.test(file.name);
    const output = $("batch-output").value;
    const params = new URLSearchParams({ output });
    for (const [id, key] of [["text-field", "text_field"], ["title-field", "title_field"], ["id-field", "id_field"]]) {
      const v = $(id).value.trim();
      if (v) params.set(key, v);
    }
    $("batch-button").disabled = true;
    setStatus(status, "Labelling " + file.name + "…");
    retry = runBatch;
    try {
      const r = await api("/v1/scan?" + params, { method: "POST", headers: { "Content-Type": csvIn ? "text/csv" : "application/x-ndjson" }, body: file });
      const blob = await r.blob();
      const text = await blob.text();
      if (downloadUrl) URL.revokeObjectURL(downloadUrl);
      downloadUrl = URL.createObjectURL(blob);
      const link = $("batch-download");
      link.href = downloadUrl;
      link.download = file.name.replace(/\.(csv|jsonl|ndjson|json)$/i, "") + ".labelled." + (output === "csv" ? "csv" : "jsonl");
      link.textContent = "Download " + link.download;
      show($("batch-result"), true);
      const counts = countLabels(text, output === "csv");
      const body = clear($("batch-summary").tBodies[0]);
      let total = 0;
      for (const [k, v] of Object.entries(counts)) { body.append(el("tr", null, el("td", { text: ROLE_NAMES[k] || k }), el("td", { text: v }))); total += v; }
      show($("batch-summary"), total > 0);
      setStatus(status, total + " postings labelled.");
    } catch (e) {
      setStatus(status, e.message, true);
    } finally {
      $("batch-button").disabled = false;
    }
  }

  // ---- tabs, keyboard, wiring ---------------------------------------------------
  function selectTab(tab) {
    for (const t of document.querySelectorAll("[role=tab]")) {
      const on = t === tab;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
      show($(t.getAttribute("aria-controls")), on);
    }
    tab.focus();
  }

  function init() {
    const tabs = Array.from(document.querySelectorAll("[role=tab]"));
    for (const t of tabs) {
      t.addEventListener("click", () => selectTab(t));
      t.addEventListener("keydown", (e) => {
        const i = tabs.indexOf(t);
        if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
          e.preventDefault();
          selectTab(tabs[(i + (e.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length]);
        }
      });
    }
    $("check-form").addEventListener("submit", (e) => { e.preventDefault(); runCheck(); });
    $("posting-text").addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); runCheck(); } });
    $("file-input").addEventListener("change", (e) => loadFile(e.target.files[0]));
    const area = $("posting-text");
    area.addEventListener("dragover", (e) => { e.preventDefault(); area.classList.add("dragging"); });
    area.addEventListener("dragleave", () => area.classList.remove("dragging"));
    area.addEventListener("drop", (e) => {
      area.classList.remove("dragging");
      if (e.dataTransfer && e.dataTransfer.files.length) { e.preventDefault(); loadFile(e.dataTransfer.files[0]); }
    });
    $("apply-all").addEventListener("click", () => {
      const changes = (state.report && state.report.changes) || [];
      if (changes.length) applyChanges(changes, "Applied all " + changes.length + " suggested edits.");
    });
    $("copy").addEventListener("click", copyText);
    $("print").addEventListener("click", () => window.print());
    $("show-numbers").addEventListener("change", (e) => document.body.classList.toggle("show-numbers", e.target.checked));
    $("batch-form").addEventListener("submit", (e) => { e.preventDefault(); runBatch(); });
    $("token-form").addEventListener("submit", (e) => {
      e.preventDefault();
      sessionStorage.setItem(TOKEN_KEY, $("token-input").value.trim());
      show($("token-box"), false);
      loadLexicon();
      if (retry) retry();
    });
    loadLexicon();
  }

  async function loadLexicon() {
    try {
      const r = await api("/v1/lexicon");
      const l = await r.json();
      $("lexicon-info").textContent = "Lexicon " + l.name + " " + l.version + " (" + l.hash + "), " + l.entries + " entries";
    } catch (e) { /* shown when the user acts */ }
  }

  document.addEventListener("DOMContentLoaded", init);
})();
