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
    // "hbar": names down the side (long department names), largest at the top.
    const horizontal = el.dataset.chart === "hbar";
    if (horizontal) names.inverse = true;
    chart.setOption({
      grid: { left: 16, right: 40, top: 16, bottom: stacked ? 40 : 16, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: horizontal ? values : names,
      yAxis: horizontal ? names : values,
      legend: stacked ? { bottom: 0 } : undefined,
      series: stacked ? data.series.map((serie) => ({
        type: "bar",
        barMaxWidth: 48,
        stack: "all",
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
