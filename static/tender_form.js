// The running sum of the criteria weights on the tender form (the server checks it too).
(function () {
  var form = document.getElementById('tender-form');
  var out = document.getElementById('weight-sum');
  if (!form || !out) return;
  function update() {
    var total = 0, cents;
    form.querySelectorAll('input[name^="criteria-"][name$="-weight"]').forEach(function (input) {
      var value = parseFloat((input.value || '').replace(/[,，\s]/g, ''));
      if (!isNaN(value)) total += Math.round(value * 100);
    });
    cents = total / 100;
    out.textContent = cents + ' ' + (total === 10000 ? out.dataset.ok : out.dataset.bad);
    out.className = 'weight-sum ' + (total === 10000 ? 'good' : 'bad');
  }
  form.addEventListener('input', update);
  update();
})();

// The rule and criteria builders: a fact chosen by name sets its unit; "another fact" shows
// the field to name it; a criterion shows only the fields of its kind and rule. Without
// JavaScript every field stays visible and the server reads them all the same.
(function () {
  var form = document.getElementById('tender-form');
  if (!form) return;
  function rowOf(el) { return el.closest('.builder-row'); }
  function syncFact(select) {
    var row = rowOf(select);
    if (!row) return;
    var custom = row.querySelector('.custom-fact');
    if (custom) custom.hidden = select.value !== 'other';
  }
  function syncUnit(select) {
    var row = rowOf(select), option = select.options[select.selectedIndex];
    var unit = row && row.querySelector('.unit select');
    if (!unit || !option || option.dataset.unit === undefined) return;
    unit.value = option.dataset.unit;
    syncUnitText(unit);
    var op = row.querySelector('select[name$="-op"]');
    if (op && option.dataset.op && row.classList.contains('rule-row')) op.value = option.dataset.op;
  }
  function syncUnitText(unit) {
    var label = unit.options[unit.selectedIndex];
    form.querySelectorAll('[data-unit-of="' + unit.id + '"]').forEach(function (span) {
      span.textContent = unit.value ? label.textContent : '';
    });
  }
  function syncCriterion(row) {
    var kind = row.querySelector('.criterion-kind select');
    var rule = row.querySelector('.criterion-rule select');
    if (!kind) return;
    var k = kind.value, r = rule ? rule.value : '';
    row.querySelectorAll('.for-objective').forEach(function (el) { el.hidden = k !== 'objective'; });
    row.querySelectorAll('.for-subjective').forEach(function (el) { el.hidden = k !== 'subjective'; });
    row.querySelectorAll('.for-linear').forEach(function (el) { el.hidden = k !== 'objective' || r !== 'linear'; });
    row.querySelectorAll('.for-steps').forEach(function (el) { el.hidden = k !== 'objective' || r !== 'steps'; });
    var fact = row.querySelector('.fact-select');
    if (fact) syncFact(fact);
  }
  form.querySelectorAll('.fact-select').forEach(syncFact);
  form.querySelectorAll('.criterion-row').forEach(syncCriterion);
  form.addEventListener('change', function (event) {
    var el = event.target;
    if (el.classList.contains('fact-select')) { syncFact(el); syncUnit(el); }
    if (el.closest('.unit')) syncUnitText(el);
    var row = el.closest('.criterion-row');
    if (row && (el.closest('.criterion-kind') || el.closest('.criterion-rule'))) syncCriterion(row);
  });
  // a link of the error summary opens the section of its field and puts the cursor there
  var summary = document.getElementById('error-summary');
  if (summary) {
    summary.focus();
    summary.addEventListener('click', function (event) {
      var link = event.target.closest('a[href^="#"]');
      if (!link) return;
      var target = document.getElementById(link.getAttribute('href').slice(1));
      if (!target) return;
      var details = target.closest('details');
      while (details) { details.open = true; details = details.parentElement.closest('details'); }
      event.preventDefault();
      target.scrollIntoView({block: 'center'});
      if (target.focus) target.focus();
    });
  }
})();
