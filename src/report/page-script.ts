/**
 * The report page's own script, inlined after the vega runtime: it draws each
 * chart live with vega-embed from the vega spec beside its static SVG (which
 * it then hides), with vega's CSP-safe expression interpreter (`ast: true`:
 * no eval), wires the page legend that switches policies off in every chart,
 * and makes table columns sortable. Without scripts the page shows the static
 * SVGs and tables as they are.
 */
export const PAGE_SCRIPT = `(function () {
  'use strict';
  var hidden = [];
  var views = [];
  var figures = Array.prototype.slice.call(document.querySelectorAll('figure.chart'));
  var pending = figures.length;
  function settled() {
    pending--;
    if (pending <= 0) document.body.setAttribute('data-charts', 'ready');
  }
  function apply(view) {
    try { view.signal('hidden', hidden.slice()); view.runAsync(); } catch (e) { /* a chart without policies */ }
  }
  if (pending === 0) document.body.setAttribute('data-charts', 'ready');
  figures.forEach(function (fig) {
    var holder = fig.querySelector('script.spec');
    var live = fig.querySelector('.live');
    var still = fig.querySelector('.static');
    if (!holder || !live || typeof vegaEmbed !== 'function') { settled(); return; }
    var spec = JSON.parse(holder.textContent);
    vegaEmbed(live, spec, { mode: 'vega', renderer: 'svg', ast: true, actions: false, tooltip: { theme: 'light' } })
      .then(function (result) {
        views.push(result.view);
        apply(result.view);
        live.hidden = false;
        if (still) still.hidden = true;
        fig.setAttribute('data-live', 'true');
      })
      .catch(function (err) {
        fig.setAttribute('data-error', String(err && err.message || err));
        console.error('chart ' + fig.id + ': ' + (err && err.message || err));
      })
      .then(settled);
  });
  Array.prototype.forEach.call(document.querySelectorAll('.legend button[data-policy]'), function (b) {
    b.addEventListener('click', function () {
      var name = b.getAttribute('data-policy');
      var i = hidden.indexOf(name);
      if (i >= 0) hidden.splice(i, 1); else hidden.push(name);
      b.setAttribute('aria-pressed', i >= 0 ? 'true' : 'false');
      views.forEach(apply);
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    var heads = table.querySelectorAll('thead th');
    Array.prototype.forEach.call(heads, function (th, col) {
      var button = th.querySelector('button');
      if (!button) return;
      button.addEventListener('click', function () {
        var up = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', up ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        function key(row) {
          var cell = row.cells[col];
          var v = cell ? cell.getAttribute('data-sort') : null;
          if (v !== null && v !== '') return Number(v);
          return cell ? cell.textContent : '';
        }
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          var c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
          return up ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
`;
