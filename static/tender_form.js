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
