// The month table of the tender form (templates/tenders/_profile.html): a table pasted into
// one of its cells, or a file of monthly volumes once chosen, is sent at once through the
// section's own buttons — the server reads it (the same reader as without JavaScript).
(function () {
  document.querySelectorAll('[data-profile]').forEach(function (section) {
    var form = section.closest('form');
    var box = section.querySelector('.profile-paste');
    var pasteButton = section.querySelector('.profile-paste-button');
    var file = section.querySelector('.profile-file');
    var uploadButton = section.querySelector('.profile-upload-button');
    if (!form) return;
    function send(button) {
      if (form.requestSubmit) form.requestSubmit(button); else button.click();
    }
    section.querySelectorAll('.month-table input').forEach(function (input) {
      input.addEventListener('paste', function (event) {
        var text = (event.clipboardData || window.clipboardData).getData('text');
        if (!box || !pasteButton || !/[\t\n]/.test(text.replace(/\s+$/, ''))) return;   // one value: an ordinary paste
        event.preventDefault();
        box.value = text;
        send(pasteButton);
      });
    });
    if (box && pasteButton) {   // rows pasted into the empty box: read them at once
      box.addEventListener('paste', function () {
        if (box.value.trim()) return;
        setTimeout(function () { if (box.value.trim()) send(pasteButton); }, 0);
      });
    }
    if (file && uploadButton) {
      file.addEventListener('change', function () { if (file.files.length) send(uploadButton); });
    }
  });
})();
