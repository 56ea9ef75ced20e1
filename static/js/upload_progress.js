// The bid upload with a progress bar: the form is sent by XMLHttpRequest so the vendor sees
// how much of the files went up, then that the server is checking them. Without
// JavaScript (or FormData) the form posts as a normal page, with the same outcome.
//
// After the post: a redirect elsewhere (the preview) is followed as a normal navigation;
// problems (400) are copied into this page, so the files the vendor chose stay chosen;
// anything else (a refusal shown on this page, an error page) replaces the page content.
(function () {
  'use strict';
  var form = document.getElementById('upload-form');
  if (!form || !window.FormData || !window.XMLHttpRequest || !window.DOMParser) return;
  var box = form.querySelector('.upload-progress');
  var bar = box && box.querySelector('progress');
  var status = box && box.querySelector('.upload-status');
  var button = form.querySelector('[type=submit]');
  if (!box || !bar || !status || !button) return;

  function show(text, percent) {
    box.hidden = false;
    status.textContent = text;
    if (percent === null) bar.removeAttribute('value'); else bar.value = percent;
  }

  function done() {
    button.disabled = false;
    form.removeAttribute('aria-busy');
  }

  function withoutHash(url) {
    var parsed = new URL(url, window.location.href);
    parsed.hash = '';
    return parsed.href;
  }

  function copyFieldErrors(fresh) {
    form.querySelectorAll('input[type=file]').forEach(function (input) {
      var here = input.closest('.field');
      var twin = fresh.querySelector('input[name="' + input.name + '"]');
      var there = twin && twin.closest('.field');
      if (!here) return;
      here.querySelectorAll('.error').forEach(function (node) { node.remove(); });
      here.classList.toggle('has-error', !!(there && there.classList.contains('has-error')));
      if (there) there.querySelectorAll('.error').forEach(function (node) {
        here.appendChild(document.importNode(node, true));
      });
    });
  }

  function replaceMain(doc) {
    var main = doc.querySelector('main');
    if (!main) return false;
    document.querySelector('main').replaceWith(document.importNode(main, true));
    if (doc.title) document.title = doc.title;
    window.scrollTo(0, 0);
    return true;
  }

  form.addEventListener('submit', function (event) {
    if (button.disabled) { event.preventDefault(); return; }
    var xhr = new XMLHttpRequest();
    var action = form.action;
    event.preventDefault();
    button.disabled = true;
    form.setAttribute('aria-busy', 'true');
    show(form.dataset.uploading.replace('{percent}', '0%'), 0);

    xhr.open('POST', action);
    xhr.responseType = 'document';
    xhr.upload.addEventListener('progress', function (e) {
      if (!e.lengthComputable) return;
      var percent = Math.round(100 * e.loaded / e.total);
      show(form.dataset.uploading.replace('{percent}', percent + '%'), percent);
    });
    xhr.upload.addEventListener('load', function () { show(form.dataset.checking, null); });
    xhr.addEventListener('error', function () { show(form.dataset.failed, 0); done(); });
    xhr.addEventListener('load', function () {
      var doc = xhr.response;
      var landed = xhr.responseURL ? withoutHash(xhr.responseURL) : withoutHash(action);
      if (landed !== withoutHash(action) && landed !== withoutHash(window.location.href)) {
        window.location.assign(xhr.responseURL);   // the preview of the upload
        return;
      }
      box.hidden = true;
      done();
      var problems = doc && doc.getElementById('upload-problems');
      var freshForm = doc && doc.getElementById('upload-form');
      if (landed === withoutHash(action) && problems && freshForm) {
        document.getElementById('upload-problems').replaceWith(document.importNode(problems, true));
        copyFieldErrors(freshForm);
        var first = document.querySelector('#upload-problems .alert, #upload-form .has-error');
        if (first) first.scrollIntoView({block: 'center'});
        return;
      }
      if (!doc || !replaceMain(doc)) show(form.dataset.failed, 0);
    });
    xhr.send(new FormData(form));
  });
})();
