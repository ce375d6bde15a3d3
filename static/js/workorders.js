// The editor: after an htmx change (a line added or removed), every form on the page
// carries the work order's new version, so the next save is not taken for a conflict.
document.addEventListener("htmx:afterSettle", function () {
  var current = document.getElementById("wo-version");
  if (!current) return;
  document.querySelectorAll('input[name="version"]').forEach(function (input) {
    input.value = current.value;
  });
});

// At the counter the next line is typed at once: after a line is added (or refused),
// the cursor goes back to the form, on the field in error if there is one.
document.addEventListener("htmx:afterSwap", function (event) {
  var source = event.detail.requestConfig && event.detail.requestConfig.elt;
  if (!source || !source.classList || !source.classList.contains("line-form")) return;
  var form = document.getElementById(source.id);
  if (!form) return;
  var field = form.querySelector('[aria-invalid="true"]') || form.querySelector("select");
  if (field) field.focus();
});

// A line's Remove redraws its whole job, and the button pressed is gone with it: the
// cursor goes back to the job, on its add-line Type field (or its heading when the work
// order cannot be changed), rather than dropping to the top of the page.
document.addEventListener("htmx:afterSwap", function (event) {
  var source = event.detail.requestConfig && event.detail.requestConfig.elt;
  if (!source || !source.dataset || !source.dataset.refocusJob) return;
  var job = document.getElementById("job-" + source.dataset.refocusJob);
  if (!job) return;
  if (source.dataset.refocusOn === "approval") {
    // Recorded an approval: to the job's trail, which now ends with it.
    var trail = job.querySelector(".job__approve > summary");
    if (trail) {
      trail.focus();
      return;
    }
  }
  if (source.dataset.refocusOn === "notes") {
    // Saved the technician and notes: back to where they are opened.
    var summary = job.querySelector(".job__notes > summary");
    if (summary) {
      summary.focus();
      return;
    }
  }
  var form = document.getElementById("job-" + source.dataset.refocusJob + "-line-form");
  var field = form && form.querySelector("select");
  var heading = document.getElementById("job-" + source.dataset.refocusJob + "-title");
  if (field) field.focus();
  else if (heading) heading.focus();
});

// The Fleet approval panel is redrawn out of band after a line changed. What it says
// about the approval is read out from the editor's status region when it changes
// ("Changed since the fleet approved it: it needs approval again.").
(function () {
  var before = null;

  function fleetNote(panel) {
    if (!panel) return "";
    var note = panel.querySelector('[data-testid="fleet-needs-approval"]');
    if (note) return note.textContent.trim();
    var state = panel.querySelector('[data-testid="fleet-state"]');
    return state ? "Fleet approval: " + state.textContent.trim() + "." : "";
  }

  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "fleet") {
      before = fleetNote(event.detail.target);
    }
  });

  document.addEventListener("htmx:oobAfterSwap", function () {
    if (before === null) return;
    var now = fleetNote(document.getElementById("fleet"));
    var changed = now !== before;
    before = null;
    var status = document.getElementById("editor-status");
    if (!changed || !status || !now) return;
    status.textContent = now;
  });
})();

// A line's row opened as a form (Edit): Escape cancels it, as its Cancel button does.
// The request is made here rather than by clicking Cancel: a row just redrawn (a refused
// Save) is wired by htmx only once it settles, and a click before that would follow the
// link's plain href, which only scrolls this same page and leaves the form open.
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  var row = event.target.closest && event.target.closest(".line-edit");
  var cancel = row && row.querySelector(".line-edit__cancel");
  if (!cancel) return;
  event.preventDefault();
  if (window.htmx && cancel.getAttribute("hx-get")) {
    window.htmx.ajax("GET", cancel.getAttribute("hx-get"), {
      source: cancel,
      target: "#" + row.id,
      swap: "outerHTML",
    });
  } else {
    cancel.click();
  }
});
