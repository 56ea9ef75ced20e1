// The job page: poll the job's JSON status every second and move the progress bar;
// show the download link, the next page or the failure reason with its retry button.
(function () {
  var box = document.getElementById('job');
  if (!box) return;
  var url = box.dataset.statusUrl;
  function show(id, visible) { document.getElementById(id).hidden = !visible; }
  function update(job) {
    document.getElementById('job-status').textContent = job.status_text;
    document.getElementById('job-note').textContent = job.note || '';
    document.getElementById('job-progress').value = job.progress;
    document.getElementById('job-percent').textContent = job.progress + ' %';
    document.getElementById('job-error-text').textContent = job.error || '';
    show('job-error', job.status === 'failed');
    if (job.file_url) {
      document.getElementById('job-file-link').href = job.file_url;
      document.getElementById('job-filename').textContent = job.filename || '';
    }
    show('job-file', !!job.file_url);
    if (job.next_url) document.getElementById('job-next-link').href = job.next_url;
    show('job-next', !!job.next_url);
    return job.status === 'queued' || job.status === 'running';
  }
  function poll() {
    fetch(url, {credentials: 'same-origin', headers: {'Accept': 'application/json'}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (job) { if (job && update(job)) window.setTimeout(poll, 1000); })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  if (box.dataset.status === 'queued' || box.dataset.status === 'running') poll();
})();
