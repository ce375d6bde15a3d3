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
