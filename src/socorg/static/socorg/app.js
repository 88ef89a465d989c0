// socorg: small progressive enhancements; every page works without them.

// Widths computed on the server (progress bars) come as data-width="42": the
// Content-Security-Policy allows no inline style attribute, but script may set a style.
function applyWidths(root) {
  root.querySelectorAll("[data-width]").forEach((el) => {
    el.style.width = `${Number(el.dataset.width) || 0}%`;
  });
}
document.addEventListener("htmx:load", (event) => applyWidths(event.target));

// <select data-autosubmit> sends its form when the choice changes (no inline handlers), and a
// htmx form marked data-refresh-on-change reloads when a select or a date changes (htmx's own
// event filters would need eval, which the Content-Security-Policy refuses).
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit") && el.form) {
    el.form.submit();
  }
  const form = el.closest && el.closest("form[data-refresh-on-change]");
  if (form && window.htmx && el.matches("select, input[type=date]")) {
    window.htmx.trigger(form, "refresh");
  }
});

// A collapsible panel the reader opened (the list's filters on a phone) stays open when htmx
// replaces the part of the page that holds it: choosing one filter does not hide the others.
let openPanels = [];
// Open, or opening: its toggle says so as soon as it is pressed, before the animation ends.
document.addEventListener("htmx:beforeSwap", () => {
  openPanels = Array.from(document.querySelectorAll("[data-keep-open][id]"), (el) => el.id).filter(
    (id) => document.querySelector(`[data-bs-toggle="collapse"][aria-controls~="${id}"][aria-expanded="true"]`),
  );
});
// htmx:load, not afterSwap: an outerHTML swap's afterSwap fires on the element it removed.
document.addEventListener("htmx:load", () => {
  openPanels.forEach((id) => {
    const panel = document.getElementById(id);
    if (!panel) return;
    panel.classList.add("show");
    document.querySelectorAll(`[data-bs-toggle="collapse"][aria-controls~="${id}"]`).forEach((button) => {
      button.classList.remove("collapsed");
      button.setAttribute("aria-expanded", "true");
    });
  });
  openPanels = [];
});

document.addEventListener("DOMContentLoaded", () => {
  applyWidths(document);
  if (window.bootstrap) {
    document.querySelectorAll('[data-bs-toggle="tooltip"]').forEach((el) => new window.bootstrap.Tooltip(el));
  }
  // After "skip to main content", focus lands on <main> so the next Tab starts there.
  document.querySelectorAll(".skip-link").forEach((link) => {
    link.addEventListener("click", () => {
      const target = document.querySelector(link.getAttribute("href"));
      if (target) target.focus();
    });
  });
});

// Charts: <div data-chart data-chart-source="id"> draws the points of the json_script block
// #id with ECharts, loaded only on pages that have a chart. A bar's colour says what its state
// means (the same meanings as the state badges).
const MEANING_COLOURS = {
  draft: "#6c757d",
  review: "#0d6efd",
  waiting: "#fd7e14",
  approved: "#198754",
  refused: "#dc3545",
};

function drawCharts(root) {
  root.querySelectorAll("[data-chart]").forEach((el) => {
    const source = document.getElementById(el.dataset.chartSource);
    if (!source || !window.echarts) return;
    const data = JSON.parse(source.textContent);
    // Stacked bars come as {categories, series}; simple bars as a list of points.
    const stacked = !Array.isArray(data);
    const points = stacked ? data.categories.map((name) => ({ name })) : data;
    const chart = window.echarts.init(el);
    const names = { type: "category", data: points.map((p) => p.name) };
    const values = { type: "value", minInterval: 1 };
    if (el.dataset.chart === "line") values.max = 100;
    // "hbar": names down the side (long department names), largest at the top.
    const horizontal = el.dataset.chart === "hbar";
    // "line": one line per series over the categories (a trend by year), no stacking.
    const line = el.dataset.chart === "line";
    if (horizontal) names.inverse = true;
    chart.setOption({
      grid: { left: 16, right: 40, top: 16, bottom: stacked ? 40 : 16, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: horizontal ? values : names,
      yAxis: horizontal ? names : values,
      legend: stacked ? { bottom: 0 } : undefined,
      series: stacked ? data.series.map((serie) => ({
        type: line ? "line" : "bar",
        barMaxWidth: 48,
        stack: line ? undefined : "all",
        label: line ? { show: true, position: "top" } : undefined,
        name: serie.name,
        data: serie.data,
        itemStyle: { color: MEANING_COLOURS[serie.meaning] || "#0d6efd" },
      })) : [{
        type: "bar",
        barMaxWidth: 48,
        data: points.map((p) => ({
          value: p.value,
          itemStyle: { color: MEANING_COLOURS[p.meaning] || "#0d6efd" },
        })),
        label: { show: true, position: horizontal ? "right" : "top" },
      }],
    });
    window.addEventListener("resize", () => chart.resize());
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const first = document.querySelector("[data-chart]");
  if (!first) return;
  if (window.echarts) { drawCharts(document); return; }
  const script = document.createElement("script");
  script.src = first.dataset.echartsSrc;
  script.addEventListener("load", () => drawCharts(document));
  document.head.appendChild(script);
});

// Principals, one row per person: add a row (a copy of the last, emptied) or remove one.
// Without script the page offers a few empty rows, and an emptied row is ignored.
function principalRows(root) {
  root.querySelectorAll("[data-principal-rows]").forEach((box) => {
    const body = box.querySelector("tbody");
    box.querySelectorAll("[data-add-row], [data-remove-row]").forEach((b) => b.classList.remove("d-none"));
    box.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (!button) return;
      if (button.hasAttribute("data-add-row")) {
        const rows = body.querySelectorAll("[data-principal-row]");
        const copy = rows[rows.length - 1].cloneNode(true);
        copy.querySelectorAll("input").forEach((input) => { input.value = ""; });
        copy.querySelectorAll("select").forEach((select) => { select.selectedIndex = 0; });
        body.appendChild(copy);
        copy.querySelector("input").focus();
      } else if (button.hasAttribute("data-remove-row")) {
        const row = button.closest("[data-principal-row]");
        if (body.querySelectorAll("[data-principal-row]").length > 1) {
          row.remove();
        } else {
          row.querySelectorAll("input").forEach((input) => { input.value = ""; });
        }
        box.closest("form")?.dispatchEvent(new Event("input", { bubbles: true }));
      }
    });
  });
}
document.addEventListener("DOMContentLoaded", () => principalRows(document));

// A form marked data-warn-unsaved warns before the page is left with changes not yet sent.
let unsavedForm = null;
document.addEventListener("input", (event) => {
  const form = event.target.form || (event.target.closest && event.target.closest("form"));
  if (form && form.hasAttribute("data-warn-unsaved")) unsavedForm = form;
});
document.addEventListener("change", (event) => {
  const form = event.target.form;
  if (form && form.hasAttribute("data-warn-unsaved")) unsavedForm = form;
});
document.addEventListener("submit", (event) => {
  if (event.target === unsavedForm) unsavedForm = null;
});
window.addEventListener("beforeunload", (event) => {
  if (unsavedForm) {
    event.preventDefault();
    event.returnValue = "";
  }
});
