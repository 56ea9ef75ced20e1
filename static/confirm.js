// Ask before a consequential click: buttons and forms carry data-confirm="question".
// (A script file, not onclick attributes: the Content-Security-Policy forbids inline script.)
(function () {
  document.addEventListener('submit', function (event) {
    var form = event.target;
    var button = event.submitter;
    var question = (button && button.dataset.confirm) || form.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  }, true);
})();
