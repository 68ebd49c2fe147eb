/* jixiao 工作台: drag and drop on the upload page; ECharts on the dashboard and year-on-year pages.
   Data comes from <script type="application/json"> blocks (no inline script: the CSP allows 'self' only). */
(function () {
  "use strict";

  function readJSON(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el || typeof echarts === "undefined") return;
    var c = echarts.init(el);
    c.setOption(option);
    window.addEventListener("resize", function () { c.resize(); });
  }

  var grid = { left: 50, right: 20, top: 30, bottom: 40, containLabel: true };

  var d = readJSON("dashboard-data");
  if (d) {
    chart("chart-rules", {
      tooltip: {}, grid: grid,
      xAxis: { type: "category", data: d.rules.codes, axisLabel: { rotate: 45 } },
      yAxis: { type: "value", name: "发现数" },
      series: [{ type: "bar", data: d.rules.counts, itemStyle: { color: "#c0392b" } }]
    });
    chart("chart-grades", {
      tooltip: { trigger: "item" }, legend: { bottom: 0 },
      series: [{ type: "pie", radius: ["35%", "65%"], data: d.grades, label: { formatter: "{b}：{c}" } }]
    });
    chart("chart-scatter", {
      tooltip: { formatter: function (p) { return p.value[2] + " " + p.value[3] + "<br>自评 " + p.value[0] + "，重算 " + p.value[1]; } },
      grid: grid,
      xAxis: { type: "value", name: "自评得分", scale: true },
      yAxis: { type: "value", name: "重算得分", scale: true },
      series: [
        { type: "scatter", symbolSize: 10, data: d.scatter, itemStyle: { color: "#2e6da4" } },
        { type: "line", data: [[60, 60], [100, 100]], symbol: "none", lineStyle: { type: "dashed", color: "#999" }, tooltip: { show: false } }
      ]
    });
    chart("chart-rates", {
      tooltip: {}, grid: grid,
      xAxis: { type: "category", data: d.rates.bins, name: "执行率" },
      yAxis: { type: "value", name: "报告数" },
      series: [{ type: "bar", data: d.rates.counts, itemStyle: { color: "#1e7b34" } }]
    });
    chart("chart-errors", {
      tooltip: {}, grid: { left: 160, right: 30, top: 20, bottom: 30 },
      xAxis: { type: "value", name: "错误数" },
      yAxis: { type: "category", data: d.errors.units },
      series: [{ type: "bar", data: d.errors.counts, itemStyle: { color: "#c0392b" } }]
    });
  }

  var u = readJSON("unit-data");
  if (u) {
    chart("chart-years-score", {
      tooltip: { trigger: "axis" }, legend: { bottom: 0 }, grid: grid,
      xAxis: { type: "category", data: u.years }, yAxis: { type: "value", scale: true },
      series: [
        { name: "自评得分", type: "line", data: u.stated },
        { name: "重算得分", type: "line", data: u.recomputed },
        { name: "执行率 %", type: "line", data: u.rate }
      ]
    });
    chart("chart-years-money", {
      tooltip: { trigger: "axis" }, legend: { bottom: 0 }, grid: grid,
      xAxis: { type: "category", data: u.years }, yAxis: { type: "value" },
      series: [
        { name: "全年预算数", type: "bar", data: u.annual },
        { name: "全年执行数", type: "bar", data: u.executed }
      ]
    });
  }

  var drop = document.getElementById("drop");
  var input = document.getElementById("files");
  if (drop && input) {
    var chosen = document.getElementById("chosen");
    var show = function () {
      var names = Array.prototype.map.call(input.files, function (f) { return f.name; });
      chosen.textContent = names.length ? "已选择：" + names.join("、") : "";
    };
    input.addEventListener("change", show);
    ["dragenter", "dragover"].forEach(function (e) {
      drop.addEventListener(e, function (ev) { ev.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (e) {
      drop.addEventListener(e, function (ev) { ev.preventDefault(); drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (ev) {
      if (ev.dataTransfer && ev.dataTransfer.files.length) { input.files = ev.dataTransfer.files; show(); }
    });
  }
})();
