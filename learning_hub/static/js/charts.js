/* Draws every <canvas data-chart="..."> with Chart.js. The data also sits in a
   table beside each chart, so the page is complete without JavaScript. */
(function () {
  "use strict";
  var palette = ["#1b6b5c", "#b35c1e", "#3a5ba0", "#8a3b8f", "#6b7d1b", "#a0303a",
                 "#2f8c9e", "#5c4a1b"];
  var dashes = [[], [6, 3], [2, 2], [8, 3, 2, 3]];

  function draw(canvas) {
    if (canvas.getAttribute("data-drawn") || typeof Chart === "undefined") { return; }
    var spec = JSON.parse(canvas.getAttribute("data-chart"));
    var datasets = spec.datasets.map(function (set, i) {
      return {
        label: set.label,
        data: set.data,
        borderColor: palette[i % palette.length],
        backgroundColor: palette[i % palette.length],
        borderDash: dashes[Math.floor(i / palette.length) % dashes.length],
        spanGaps: true,
        tension: 0.25,
        pointRadius: 3
      };
    });
    new Chart(canvas, {
      type: spec.type || "line",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { min: 0, max: spec.yMax || 4, ticks: { stepSize: spec.yStep || 1 } } },
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } }
      }
    });
    canvas.setAttribute("data-drawn", "1");
  }

  function drawVisible(root) {
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.offsetParent !== null) { draw(canvas); }
    });
  }

  drawVisible(document);
  document.querySelectorAll("details").forEach(function (details) {
    details.addEventListener("toggle", function () {
      if (details.open) { drawVisible(details); }
    });
  });
}());
