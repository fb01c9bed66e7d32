// Charts from data in the page: an element with data-radar='[{"name":..,"value":..}]' becomes a radar chart.
// Kept in a file of its own because the content security policy allows no inline scripts.
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('[data-radar]').forEach(function (el) {
    var data = JSON.parse(el.getAttribute('data-radar'));
    var chart = echarts.init(el);
    chart.setOption({
      animation: false,
      tooltip: {},
      radar: { indicator: data.map(function (d) { return { name: d.name, max: 100 }; }), radius: '65%' },
      series: [{ type: 'radar', areaStyle: { opacity: 0.25 }, itemStyle: { color: '#0f6e5a' },
                 data: [{ value: data.map(function (d) { return d.value; }), name: el.getAttribute('data-label') || '' }] }]
    });
    el.setAttribute('data-rendered', 'true');
    window.addEventListener('resize', function () { chart.resize(); });
  });
});
