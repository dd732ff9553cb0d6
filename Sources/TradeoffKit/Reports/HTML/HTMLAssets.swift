import Crypto
import Foundation

/// The page's one stylesheet and one script, inlined so the page works offline, and their
/// SHA-256 hashes for the Content-Security-Policy that allows exactly them and nothing else.
enum HTMLAssets {
    /// The stylesheet: system fonts only, readable in greyscale (notes differ by border style as
    /// well as colour), and a print stylesheet that never cuts a table row across pages.
    static let style = """

        :root { color-scheme: light; --ink: #1a1a1a; --muted: #555; --rule: #c8c8c8; --head: #f0f0f0; \
        --notice: #3182bd; --caution: #b34700; }
        * { box-sizing: border-box; }
        body { margin: 0; color: var(--ink); background: #fff; \
        font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        main { max-width: 72rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
        h1 { font-size: 1.7rem; line-height: 1.25; margin: 0 0 .75rem; }
        h1 + p { font-size: 1.15rem; margin-top: 0; }
        h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; padding-bottom: .2rem; border-bottom: 1px solid var(--rule); }
        h3, h4, h5, h6 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
        p, ul { margin: .5rem 0; }
        code { font: .9em/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; \
        background: #f4f4f4; padding: 0 .2em; border-radius: 3px; overflow-wrap: anywhere; }
        .table { overflow-x: auto; margin: .75rem 0; }
        table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
        th, td { border: 1px solid var(--rule); padding: .3rem .55rem; vertical-align: top; text-align: left; }
        td { overflow-wrap: anywhere; }
        thead th { background: var(--head); }
        .num { text-align: right; }
        td.num { overflow-wrap: normal; }
        tbody tr:nth-child(even) { background: #fafafa; }
        th button { font: inherit; font-weight: bold; color: inherit; background: none; border: 0; padding: 0; \
        margin: 0; text-align: inherit; cursor: pointer; }
        th button:focus-visible { outline: 2px solid var(--notice); outline-offset: 2px; }
        th button::after { content: " \\2195"; color: var(--muted); font-weight: normal; }
        th[aria-sort="ascending"] button::after { content: " \\25B2"; color: var(--ink); }
        th[aria-sort="descending"] button::after { content: " \\25BC"; color: var(--ink); }
        .note { margin: 1rem 0; padding: .5rem .9rem; border-left: 5px solid var(--notice); background: #f3f8fc; }
        .note.caution { border-left: 5px double var(--caution); background: #fdf4ec; }
        figure { margin: 1rem 0; }
        figure svg { max-width: 100%; height: auto; }
        figure svg .point:hover .details, figure svg .point:focus .details { display: inline; }
        figure svg .point:focus { outline: none; }
        figure svg .point:focus-visible { outline: 2px solid var(--notice); outline-offset: 2px; }
        figcaption { color: var(--muted); font-size: .9rem; }
        pre { font: .9em/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; \
        background: #f4f4f4; margin: .3rem 0; padding: .4rem .6rem; white-space: pre-wrap; overflow-wrap: anywhere; }
        .print-only { display: none; }
        .filters { display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; align-items: center; margin: .75rem 0; \
        padding: .5rem .75rem; background: var(--head); }
        .filters[hidden] { display: none; }
        .filters select, .filters input { font: inherit; }
        .filters :focus-visible, summary:focus-visible { outline: 2px solid var(--notice); outline-offset: 2px; }
        .case { border: 1px solid var(--rule); margin: 1rem 0; padding: 0 .9rem .5rem; }
        .case[data-disagree="yes"] { border-left: 5px double var(--caution); }
        .case h3 { margin: .6rem 0 .3rem; }
        .case-body > summary { color: var(--ink); padding: .5rem 0; }
        .case-body > summary h3 { display: inline; margin: 0; }
        .case-body > summary .outcomes { color: var(--muted); font-size: .9rem; margin-left: .3rem; }
        .case-body[open] > summary { border-bottom: 1px solid var(--rule); }
        .answer { border-top: 1px dashed var(--rule); }
        .answer h4 { font-size: 1rem; margin: .5rem 0 .2rem; }
        .answer.failed h4 strong, .answer.error h4 strong { text-decoration: underline; }
        .facts { color: var(--muted); font-size: .9rem; margin: .2rem 0; }
        .grades { margin: .3rem 0; padding-left: 1.25rem; }
        summary { cursor: pointer; color: var(--muted); }
        @media print {
          body { font-size: 10pt; }
          main { max-width: none; padding: 0; }
          .table { overflow: visible; }
          thead { display: table-header-group; }
          tr, th, td, .note, figure { break-inside: avoid; page-break-inside: avoid; }
          h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
          th button::after { content: none; }
          tbody tr:nth-child(even) { background: none; }
          .print-only { display: block; }
          .filters, .status { display: none; }
          .case[data-disagree="no"] { display: none; }
          .case[data-disagree="yes"], .case[data-disagree="yes"] .answer { display: block !important; }
          .case[data-disagree="yes"] details::details-content { content-visibility: visible; }
          .case { break-inside: auto; page-break-inside: auto; }
          .answer { break-inside: avoid; page-break-inside: avoid; }
          pre { background: none; border-left: 2px solid var(--rule); }
        }

        """

    /// The script: every table sorts by any column when its header button is pressed (again to
    /// reverse), numbers by the `data-value` of their cell, cells without one after those, text
    /// in the reader's collation; `aria-sort` says which way. The drill-down's filters (shown only
    /// when the script runs, so a page with it blocked hides nothing) hide the cases and answers
    /// that do not fit, and say how many are shown; printing opens the folded answers of the
    /// cases it prints. It then marks the page as ready.
    static let script = """

        (function () {
          "use strict";
          function key(cell) {
            var value = cell ? cell.getAttribute("data-value") : null;
            return value === null ? null : Number(value);
          }
          function compare(a, b, ascending) {
            var x = key(a), y = key(b);
            if (x !== null && y !== null) { return ascending ? x - y : y - x; }
            if (x !== null) { return -1; }
            if (y !== null) { return 1; }
            var order = (a ? a.textContent : "").localeCompare(b ? b.textContent : "", undefined, { numeric: true });
            return ascending ? order : -order;
          }
          Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
            var headers = table.querySelectorAll("thead th");
            Array.prototype.forEach.call(headers, function (header, column) {
              var button = header.querySelector("button");
              if (!button) { return; }
              button.addEventListener("click", function () {
                var ascending = header.getAttribute("aria-sort") !== "ascending";
                Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
                header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
                var body = table.tBodies[0];
                var rows = Array.prototype.slice.call(body.rows);
                rows.sort(function (a, b) { return compare(a.cells[column], b.cells[column], ascending); });
                rows.forEach(function (row) { body.appendChild(row); });
              });
            });
          });
          var section = document.getElementById("cases");
          if (section) {
            var task = document.getElementById("case-task"), model = document.getElementById("case-model");
            var outcome = document.getElementById("case-outcome"), disagree = document.getElementById("case-disagree");
            var cases = section.querySelectorAll("article.case");
            var filter = function () {
              var shown = 0;
              Array.prototype.forEach.call(cases, function (item) {
                var fits = (task.value === "" || item.getAttribute("data-task") === task.value)
                  && (!disagree.checked || item.getAttribute("data-disagree") === "yes");
                var any = false;
                Array.prototype.forEach.call(item.querySelectorAll(".answer"), function (answer) {
                  var result = answer.getAttribute("data-outcome");
                  var visible = fits && (model.value === "" || answer.getAttribute("data-model") === model.value)
                    && (outcome.value === "" || (outcome.value === "passed" ? result === "passed"
                      : result === "failed" || result === "error"));
                  answer.hidden = !visible;
                  any = any || visible;
                });
                item.hidden = !any;
                if (any) { shown += 1; }
              });
              document.getElementById("case-status").textContent = "Showing " + shown + " of " + cases.length + " cases.";
            };
            [task, model, outcome, disagree].forEach(function (control) { control.addEventListener("change", filter); });
            section.querySelector(".filters").hidden = false;
            filter();
            var folded = [];
            window.addEventListener("beforeprint", function () {
              folded = Array.prototype.filter.call(section.querySelectorAll(".case[data-disagree=yes] details"),
                function (details) { return !details.open; });
              folded.forEach(function (details) { details.open = true; });
            });
            window.addEventListener("afterprint", function () {
              folded.forEach(function (details) { details.open = false; });
              folded = [];
            });
          }
          document.documentElement.setAttribute("data-script", "ready");
        })();

        """

    /// The Content-Security-Policy: nothing may load or run but this page's own stylesheet and
    /// script, named by hash (no network, no other inline code, no plug-ins, no forms, no `<base>`).
    static let contentSecurityPolicy = "default-src 'none'; script-src '\(hash(script))'; style-src '\(hash(style))'; "
        + "base-uri 'none'; form-action 'none'"

    /// `sha256-BASE64` of `text`'s UTF-8 bytes, as CSP names an inline element's content.
    static func hash(_ text: String) -> String {
        "sha256-" + Data(SHA256.hash(data: Data(text.utf8))).base64EncodedString()
    }
}
