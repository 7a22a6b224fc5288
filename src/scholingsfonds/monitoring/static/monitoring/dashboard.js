/*
 * Draws every chart on the page with Chart.js (vendored). Each <canvas data-chart="ID">
 * reads its numbers from <script type="application/json" id="ID"> (Django's json_script):
 * no inline script, so a strict Content-Security-Policy works. The same numbers are in the
 * table beside each chart; the charts are for the eye.
 */
(function () {
  "use strict";

  if (typeof window.Chart === "undefined") {
    return;
  }
  var lang = document.documentElement.lang === "en" ? "en-GB" : "nl-NL";
  var count = new Intl.NumberFormat(lang);
  var money = new Intl.NumberFormat(lang, {
    style: "currency",
    currency: "EUR",
    maximumFractionDigits: 0
  });
  // Colour-blind safe (Okabe–Ito), dark enough against white for bars and lines.
  var palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#6b6b00", "#000000"];
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function formatter(kind) {
    return function (value) {
      if (value === null || value === undefined) {
        return "–";
      }
      return kind === "cents" ? money.format(value / 100) : count.format(value);
    };
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var kind = spec.datasets.some(function (d) { return d.kind === "cents"; }) ? "cents" : "count";
    var format = formatter(kind);
    var datasets = spec.datasets.map(function (d, i) {
      var colour = palette[i % palette.length];
      var set = {
        label: d.label,
        data: d.data,
        backgroundColor: colour,
        borderColor: colour,
        borderWidth: spec.type === "line" ? 2 : 0
      };
      if (d.line) {
        set.type = "line";
        set.borderDash = [6, 4];
        set.borderWidth = 2;
        set.pointRadius = 0;
        set.backgroundColor = "transparent";
      }
      if (spec.type === "line") {
        set.tension = 0.2;
        set.pointRadius = 2;
      }
      return set;
    });
    var horizontal = Boolean(spec.horizontal);
    if (horizontal && canvas.parentNode) {
      // Room for every bar label: about 1.75rem per row.
      canvas.parentNode.style.blockSize = Math.max(10, spec.labels.length * 1.75 + 4) + "rem";
    }
    var valueAxis = {
      beginAtZero: true,
      stacked: Boolean(spec.stacked),
      ticks: { callback: function (value) { return format(value); } }
    };
    var labelAxis = { stacked: Boolean(spec.stacked), ticks: { autoSkip: !horizontal } };
    new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: reduceMotion ? false : { duration: 300 },
        scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
        plugins: {
          legend: { display: datasets.length > 1, position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (context) {
                return context.dataset.label + ": " + format(context.raw);
              }
            }
          }
        }
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), draw);
})();
